import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { LeastTimeBalancer } from '../../src/lb/least-time.js'
import { RoundRobinBalancer } from '../../src/lb/round-robin.js'
import { runLoad } from './synthetic-load.js'

function make(clock: FakeClock, choices = 1000, decayMs = 10_000): LeastTimeBalancer {
  return new LeastTimeBalancer(seededRng('lt'), clock, choices, decayMs, 1)
}

function sample(b: LeastTimeBalancer, id: string, durationMs: number): void {
  b.onStart(id)
  b.onFinish(id, { ok: true, durationMs })
}

t.test('peak: a slower sample replaces the estimate at once; a faster one blends by e^(-Δt/τ)', async (t) => {
  const clock = new FakeClock()
  const b = make(clock)
  b.update([{ id: 'a' }])
  t.equal(b.estimate('a'), undefined)
  sample(b, 'a', 10)
  t.equal(b.estimate('a'), 10)
  sample(b, 'a', 100)
  t.equal(b.estimate('a'), 100, 'peak sample wins outright')
  sample(b, 'a', 10)
  t.equal(b.estimate('a'), 100, 'no time has passed, so a fast sample has no weight yet')
  clock.advance(10_000)
  sample(b, 'a', 10)
  const w = Math.exp(-1)
  t.ok(Math.abs(b.estimate('a')! - (100 * w + 10 * (1 - w))) < 1e-9, `after one τ: ${b.estimate('a')}`)
})

t.test('cost is estimate × (active + 1): the fastest wins until its queue outweighs it', async (t) => {
  const clock = new FakeClock()
  const b = make(clock)
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  sample(b, 'a', 10)
  sample(b, 'b', 50)
  sample(b, 'c', 20)
  t.equal(b.pick(), 'a')
  b.onStart('a') // a: 10 × 2 = 20 ties c's 20 × 1; strictly lower wins, so the scan's start decides
  b.onStart('a') // a: 10 × 3 = 30 > c's 20
  t.equal(b.pick(), 'c')
  for (let i = 0; i < 3; i++) b.onStart('a') // a: 60, c: 20, b: 50
  b.onStart('c')
  b.onStart('c') // c: 60
  t.equal(b.pick(), 'b')
})

t.test('endpoints without samples cost defaultRttMs; state survives an update', async (t) => {
  const clock = new FakeClock()
  const b = new LeastTimeBalancer(seededRng('d'), clock, 1000, 10_000, 5)
  b.update([{ id: 'a' }])
  sample(b, 'a', 8)
  b.update([{ id: 'a' }, { id: 'new' }])
  t.equal(b.estimate('a'), 8)
  t.equal(b.pick(), 'new', 'the unmeasured endpoint (5 ms assumed) beats 8 ms')
})

t.test('under seeded load it sends a slow endpoint far less than round-robin', async (t) => {
  const means = { fast1: 10, fast2: 10, slow: 60 }
  const eps = Object.keys(means).map((id) => ({ id }))
  const opts = { requests: 20000, intervalMs: 5, seed: 'lt-load' }
  const clockLt = new FakeClock()
  const lt = new LeastTimeBalancer(seededRng('lt-load'), clockLt, 2, 1000, 1)
  lt.update(eps)
  const rr = new RoundRobinBalancer()
  rr.update(eps)
  const a = runLoad(lt, clockLt, means, opts)
  const b = runLoad(rr, new FakeClock(), means, opts)
  const ltSlow = a.counts.get('slow')! / opts.requests
  const rrSlow = b.counts.get('slow')! / opts.requests
  t.ok(ltSlow < rrSlow / 2, `least-time gives the slow endpoint ${ltSlow.toFixed(3)}, round-robin ${rrSlow.toFixed(3)}`)
  t.ok(a.meanMs < b.meanMs * 0.8, `mean response ${a.meanMs.toFixed(1)} ms vs ${b.meanMs.toFixed(1)} ms`)
})
