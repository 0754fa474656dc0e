import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { bestOfChoices } from '../../src/lb/choices.js'
import { EndpointIds, EndpointSet } from '../../src/lb/endpoint-set.js'
import { PowerOfTwoChoicesBalancer } from '../../src/lb/power-of-two-choices.js'
import { RandomBalancer } from '../../src/lb/random.js'
import { WeightedSampler } from '../../src/lb/weighted-sampler.js'
import { endpointIds, runLoad } from './synthetic-load.js'

function loaded(b: PowerOfTwoChoicesBalancer, n: number): void {
  b.update(endpointIds(n))
  // Endpoint ek carries k active connections.
  for (let k = 0; k < n; k++) for (let j = 0; j < k; j++) b.onStart(`e${k}`)
}

t.test('with two endpoints the less loaded one always wins', async (t) => {
  const b = new PowerOfTwoChoicesBalancer(seededRng('p2c-two'), 2)
  b.update([{ id: 'a' }, { id: 'b' }])
  b.onStart('a')
  const seen = new Set(Array.from({ length: 200 }, () => b.pick()))
  t.same([...seen], ['b'])
})

t.test('two distinct draws: the most loaded is never chosen, the least with probability (n-1)/C(n,2)', async (t) => {
  const n = 10
  const b = new PowerOfTwoChoicesBalancer(seededRng('p2c-dist'), 2)
  loaded(b, n)
  const counts = new Map<string, number>()
  const picks = 20000
  for (let i = 0; i < picks; i++) {
    const id = b.pick()!
    counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  t.equal(counts.get('e9'), undefined, 'e9 (most loaded) is never picked')
  // ek wins when drawn with any of the n-1-k more loaded endpoints: (n-1-k) of the 45 pairs.
  for (const k of [0, 4, 8]) {
    const expected = (n - 1 - k) / 45
    const got = (counts.get(`e${k}`) ?? 0) / picks
    t.ok(Math.abs(got - expected) < 0.01, `e${k}: ${got.toFixed(4)} ≈ ${expected.toFixed(4)}`)
  }
})

t.test('more choices favour the least loaded more strongly', async (t) => {
  const two = new PowerOfTwoChoicesBalancer(seededRng('d'), 2)
  const four = new PowerOfTwoChoicesBalancer(seededRng('d'), 4)
  loaded(two, 10)
  loaded(four, 10)
  let twoLeast = 0
  let fourLeast = 0
  for (let i = 0; i < 5000; i++) {
    if (two.pick() === 'e0') twoLeast++
    if (four.pick() === 'e0') fourLeast++
  }
  // P(e0 among d distinct of 10) = d/10: 0.2 for two, 0.4 for four.
  t.ok(Math.abs(twoLeast / 5000 - 0.2) < 0.02, `d=2: ${twoLeast / 5000}`)
  t.ok(Math.abs(fourLeast / 5000 - 0.4) < 0.02, `d=4: ${fourLeast / 5000}`)
})

t.test('the same seed gives the same picks', async (t) => {
  const run = (): string => {
    const b = new PowerOfTwoChoicesBalancer(seededRng(42), 2)
    b.update(endpointIds(5))
    return Array.from({ length: 20 }, () => {
      const id = b.pick()!
      b.onStart(id)
      return id
    }).join(',')
  }
  t.equal(run(), run())
})

t.test('weights shape the draws: 3:1 at zero load', async (t) => {
  const b = new PowerOfTwoChoicesBalancer(seededRng('w'), 2)
  b.update([{ id: 'a', weight: 3 }, { id: 'b', weight: 1 }, { id: 'c', weight: 0 }])
  let a = 0
  for (let i = 0; i < 8000; i++) if (b.pick() === 'a') a++
  // d ≥ pickable endpoints: a full scan from a weighted random start, so zero-load ties fall 3:1.
  t.ok(Math.abs(a / 8000 - 0.75) < 0.02, `weight-3 endpoint gets ${(a / 8000).toFixed(3)} with two endpoints`)
  const many = new PowerOfTwoChoicesBalancer(seededRng('w3'), 2)
  many.update([{ id: 'a', weight: 3 }, { id: 'b' }, { id: 'c' }, { id: 'd' }])
  let heavy = 0
  for (let i = 0; i < 12000; i++) if (many.pick() === 'a') heavy++
  // a is the first draw with probability 1/2, or drawn second after one of the others (ties keep the first draw).
  t.ok(Math.abs(heavy / 12000 - 0.5) < 0.02, `weight-3 endpoint gets ${(heavy / 12000).toFixed(3)} of zero-load picks`)
})

t.test('under seeded load it sends a slow endpoint far less than random', async (t) => {
  const means = { e0: 10, e1: 10, e2: 10, e3: 10, slow: 100 }
  const eps = Object.keys(means).map((id) => ({ id }))
  const opts = { requests: 20000, intervalMs: 3, seed: 'p2c-load' }
  const p2c = new PowerOfTwoChoicesBalancer(seededRng('p2c'), 2)
  p2c.update(eps)
  const rnd = new RandomBalancer(seededRng('rnd'))
  rnd.update(eps)
  const a = runLoad(p2c, new FakeClock(), means, opts)
  const b = runLoad(rnd, new FakeClock(), means, opts)
  const p2cSlow = a.counts.get('slow')! / opts.requests
  const rndSlow = b.counts.get('slow')! / opts.requests
  t.ok(Math.abs(rndSlow - 0.2) < 0.02, `random gives the slow endpoint ≈ 1/5 (${rndSlow.toFixed(3)})`)
  t.ok(p2cSlow < rndSlow * 0.6, `P2C gives it ${p2cSlow.toFixed(3)}`)
  t.ok(a.maxActive.get('slow')! < b.maxActive.get('slow')!, 'the slow endpoint queues less')
  t.ok(a.meanMs < b.meanMs, `mean response ${a.meanMs.toFixed(1)} ms vs ${b.meanMs.toFixed(1)} ms`)
})

t.test('the equal-weight fast path draws exactly what the general bestOfChoices draws', async (t) => {
  for (const [d, ready] of [
    [2, [1, 1, 1, 1, 1, 1, 1, 1]],
    [3, [1, 0, 1, 1, 0, 1, 1, 1]],
  ] as const) {
    const b = new PowerOfTwoChoicesBalancer(seededRng(`fast-${d}`), d)
    const ids = new EndpointIds(ready.map((_, i) => `e${i}`))
    b.update({ ids, ready })
    const set = new EndpointSet()
    set.update({ ids, ready })
    const sampler = new WeightedSampler()
    sampler.reset(set.pickable, set.weight, set.uniform)
    const rng = seededRng(`fast-${d}`)
    const scratch = new Int32Array(d)
    let same = 0
    for (let i = 0; i < 2000; i++) {
      const p = b.pickIndex()
      const q = bestOfChoices(set.pickable, d, sampler, rng, scratch, (x) => set.active[x]!)
      if (p === q) same++
      b.onStartIndex(p)
      set.active[q]!++
    }
    t.equal(same, 2000, `d = ${d}, ${ready.filter((r) => r === 1).length} of ${ready.length} pickable`)
  }
})
