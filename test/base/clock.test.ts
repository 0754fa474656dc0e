import t from 'tap'
import { FakeClock, RealClock } from '../../src/base/clock.js'

t.test('FakeClock fires timers in due order during advance, intervals repeatedly', async (t) => {
  const c = new FakeClock(1_000)
  const fired: string[] = []
  c.setTimeout(() => fired.push(`b@${c.now()}`), 20)
  c.setTimeout(() => fired.push(`a@${c.now()}`), 10)
  const iv = c.setInterval(() => fired.push(`i@${c.now()}`), 15)
  const cancelled = c.setTimeout(() => fired.push('never'), 5)
  c.clearTimeout(cancelled)
  c.advance(31)
  t.same(fired, ['a@1010', 'i@1015', 'b@1020', 'i@1030'])
  t.equal(c.now(), 1_031)
  c.clearInterval(iv)
  t.equal(c.pendingCount, 0)
})

t.test('a timer scheduled by a firing timer runs in the same advance when due', async (t) => {
  const c = new FakeClock(0)
  const fired: number[] = []
  c.setTimeout(() => {
    fired.push(c.now())
    c.setTimeout(() => fired.push(c.now()), 5)
  }, 5)
  c.advance(10)
  t.same(fired, [5, 10])
})

t.test('sleep resolves on advance and rejects on abort', async (t) => {
  const c = new FakeClock(0)
  const p = c.sleep(100)
  c.advance(100)
  await t.resolves(p)
  const ac = new AbortController()
  const q = c.sleep(100, ac.signal)
  ac.abort(new Error('stopped'))
  await t.rejects(q, /stopped/)
  t.equal(c.pendingCount, 0, 'the aborted sleep left no timer')
  const already = new AbortController()
  already.abort(new Error('early'))
  await t.rejects(c.sleep(1, already.signal), /early/)
})

t.test('RealClock timers fire and can be cancelled', async (t) => {
  // RealClock's timers are unref'd (they never keep a process alive), so hold the loop open here.
  const keepAlive = setInterval(() => {}, 60_000)
  t.teardown(() => clearInterval(keepAlive))
  const c = new RealClock()
  t.ok(Math.abs(c.now() - Date.now()) < 1_000)
  t.ok(c.hrtime() > 0n)
  let fired = false
  const h = c.setTimeout(() => (fired = true), 1)
  c.clearTimeout(h)
  await c.sleep(5)
  t.equal(fired, false, 'cancelled timer did not fire')
  let ticks = 0
  await new Promise<void>((resolve) => {
    const iv = c.setInterval(() => {
      if (++ticks === 2) {
        c.clearInterval(iv)
        resolve()
      }
    }, 1)
  })
  t.equal(ticks, 2)
})
