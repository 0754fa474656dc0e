import t from 'tap'
import { parseDuration } from '../../src/client/component-flags.js'

t.test('Go-style durations', async (t) => {
  t.equal(parseDuration('40s'), 40_000)
  t.equal(parseDuration('500ms'), 500)
  t.equal(parseDuration('1m30s'), 90_000)
  t.equal(parseDuration('2h'), 7_200_000)
  t.equal(parseDuration('1.5s'), 1_500)
  t.throws(() => parseDuration('40'), /not a duration/)
  t.throws(() => parseDuration('s'), /not a duration/)
})
