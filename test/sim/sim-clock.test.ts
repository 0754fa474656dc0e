import t from 'tap'
import { SimClock, TIME_UNITS } from '../../src/sim/sim-clock.js'

t.test('now() follows simulated time in milliseconds', async (t) => {
  const c = new SimClock(TIME_UNITS.s!)
  t.equal(c.now(), 0)
  c.time = 2.5
  t.equal(c.now(), 2500)
  t.equal(c.hrtime(), 2_500_000_000n)
})

t.test('timers are refused rather than silently dropped', async (t) => {
  const c = new SimClock(1)
  t.throws(() => c.setTimeout(() => {}, 1), /no timers/)
  t.throws(() => c.setInterval(() => {}, 1), /no timers/)
  await t.rejects(c.sleep(1), /cannot sleep/)
  c.clearTimeout(undefined)
  c.clearInterval(undefined)
})
