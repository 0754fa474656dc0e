import t from 'tap'
import { ARRIVAL, BACKEND, buildBalancer, DEAD, DEPART, QUEUED, SERVING, SYNC, THINK } from '../../src/sim/engine-core.js'
import { IptablesCascadeBalancer } from '../../src/sim/iptables-cascade.js'
import { validateScenario } from '../../src/sim/scenario.js'
import { SimClock } from '../../src/sim/sim-clock.js'

t.test('event kinds fit in the payload\'s 3 low bits; request states are distinct and non-zero (0 = free)', async (t) => {
  const kinds = [ARRIVAL, DEPART, THINK, BACKEND, SYNC]
  t.equal(new Set(kinds).size, kinds.length)
  t.ok(kinds.every((k) => k >= 0 && k < 8))
  const states = [QUEUED, SERVING, DEAD]
  t.equal(new Set(states).size, 3)
  t.ok(states.every((s) => s > 0))
})

t.test('buildBalancer: iptables is the cascade, other names the lb registry\'s own balancers on simulated time', async (t) => {
  const s = validateScenario({ backends: 2, workload: { arrivals: { type: 'poisson', rate: 1 }, requests: 10 }, algorithms: [{ name: 'iptables' }, { name: 'p2c', params: { choices: 3 } }, { name: 'least-time' }] })
  const clock = new SimClock(1)
  t.ok(buildBalancer(s.algorithms[0]!, 1, clock) instanceof IptablesCascadeBalancer)
  t.equal(buildBalancer(s.algorithms[1]!, 1, clock).algorithm, 'power-of-two-choices')
  const lt = buildBalancer(s.algorithms[2]!, 1, clock)
  lt.update([{ id: 'a' }, { id: 'b' }])
  // least-time reads the simulated clock: a slow finish on `a` at t = 5 steers the next picks to `b`.
  clock.time = 5
  lt.onStart('a')
  lt.onFinish('a', { ok: true, durationMs: 100 })
  lt.onStart('b')
  lt.onFinish('b', { ok: true, durationMs: 1 })
  t.equal(lt.pick(), 'b')
  // Same seed, same picks.
  const x = buildBalancer(s.algorithms[1]!, 9, clock)
  const y = buildBalancer(s.algorithms[1]!, 9, clock)
  const eps = [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }]
  x.update(eps)
  y.update(eps)
  const px = Array.from({ length: 20 }, () => x.pick())
  t.same(Array.from({ length: 20 }, () => y.pick()), px)
})
