import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { LeastConnectionBalancer } from '../../src/lb/least-connection.js'
import { RoundRobinBalancer } from '../../src/lb/round-robin.js'
import { SlowStartBalancer, slowStartFactor, type SlowStartOptions } from '../../src/lb/slow-start.js'

const linear: SlowStartOptions = { windowSeconds: 10, aggression: 1, minWeightPercent: 10 }

function weights(b: SlowStartBalancer): Record<string, number> {
  return Object.fromEntries(b.snapshot().map((s) => [s.id, s.weight]))
}

t.test("Envoy's factor: max(min, (t / window)^(1/aggression)), 1 after the window", async (t) => {
  t.equal(slowStartFactor(0, linear), 0.1, 'the floor at the start')
  t.equal(slowStartFactor(5000, linear), 0.5)
  t.equal(slowStartFactor(10_000, linear), 1)
  t.equal(slowStartFactor(20_000, linear), 1)
  t.equal(slowStartFactor(2500, { ...linear, aggression: 2 }), 0.5, 'sqrt(0.25): faster early')
  t.equal(slowStartFactor(0, { ...linear, minWeightPercent: 0 }), 1 / 10_000, 'max(t, 1 ms) without a floor')
})

t.test('endpoints present at the first update are not ramped', async (t) => {
  const b = new SlowStartBalancer(new RoundRobinBalancer(), new FakeClock(), linear)
  b.update([{ id: 'a' }, { id: 'b', weight: 3 }])
  t.same(weights(b), { a: 1, b: 3 })
  t.same([...b.ramping()], [])
})

t.test('a new endpoint ramps from the floor to its full weight over the window', async (t) => {
  const clock = new FakeClock()
  const b = new SlowStartBalancer(new RoundRobinBalancer(), clock, linear)
  b.update([{ id: 'a' }, { id: 'b' }])
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'new', weight: 2 }])
  t.same(weights(b), { a: 1, b: 1, new: 0.2 })
  clock.advance(5000)
  b.pick()
  t.same(weights(b), { a: 1, b: 1, new: 1 }, 'half way: half of weight 2')
  let got = 0
  for (let i = 0; i < 300; i++) if (b.pick() === 'new') got++
  t.equal(got, 100, 'smooth round-robin at weights 1,1,1 (the ramp steps only every 0.5 s)')
  clock.advance(5000)
  b.pick()
  t.same(weights(b), { a: 1, b: 1, new: 2 })
  t.same([...b.ramping()], [])
})

t.test('an endpoint that becomes ready again ramps again; one leaving stops ramping', async (t) => {
  const clock = new FakeClock()
  const b = new SlowStartBalancer(new LeastConnectionBalancer(), clock, linear)
  b.update([{ id: 'a' }, { id: 'b' }])
  b.update([{ id: 'a' }, { id: 'b', ready: false }])
  clock.advance(1000)
  b.update([{ id: 'a' }, { id: 'b' }])
  t.same([...b.ramping()], [['b', 0.1]])
  b.update([{ id: 'a' }])
  t.same([...b.ramping()], [])
  t.equal(b.algorithm, 'least-connection')
})
