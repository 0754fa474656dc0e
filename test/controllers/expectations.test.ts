import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { Expectations } from '../../src/controllers/expectations.js'

t.test('satisfied once every expected create and delete was observed, or after the timeout', async (t) => {
  const clock = new FakeClock()
  const e = new Expectations(clock, 1000)
  t.ok(e.satisfied('k'), 'nothing expected')
  e.expect('k', 2, 1)
  e.creationObserved('k')
  e.deletionObserved('k')
  t.notOk(e.satisfied('k'), 'one create outstanding')
  e.creationObserved('k')
  t.ok(e.satisfied('k'))
  e.expect('k', 1, 0)
  clock.advance(1001)
  t.ok(e.satisfied('k'), 'expired: a lost watch event must not block the controller forever')
  e.delete('k')
  t.ok(e.satisfied('k'))
})
