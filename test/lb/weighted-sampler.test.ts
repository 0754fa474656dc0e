import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { EndpointState } from '../../src/lb/endpoint-set.js'
import { WeightedSampler } from '../../src/lb/weighted-sampler.js'

function withWeights(ws: number[]): EndpointState[] {
  return ws.map((w, i) => {
    const s = new EndpointState(`e${i}`)
    s.weight = w
    s.index = i
    return s
  })
}

t.test('draws follow the weights (χ² < 16.27, α = 0.001, 3 df)', async (t) => {
  const sampler = new WeightedSampler()
  const ws = [1, 2, 3, 4]
  sampler.reset(withWeights(ws), false)
  const rng = seededRng('sampler')
  const counts = [0, 0, 0, 0]
  const n = 20000
  for (let i = 0; i < n; i++) counts[sampler.draw(rng)]!++
  const x = counts.reduce((acc, c, i) => acc + (c - (n * ws[i]!) / 10) ** 2 / ((n * ws[i]!) / 10), 0)
  t.ok(x < 16.27, `χ² = ${x.toFixed(2)}, counts ${counts.join(',')}`)
})

t.test('edges of the cumulative search: rng 0 gives the first, rng just below 1 the last', async (t) => {
  const sampler = new WeightedSampler()
  sampler.reset(withWeights([1, 0.5, 2]), false)
  t.equal(sampler.draw(() => 0), 0)
  t.equal(sampler.draw(() => 0.999999), 2)
  // 1/3.5 ≈ 0.2857 is where e1's band starts.
  t.equal(sampler.draw(() => 0.3), 1)
  sampler.reset(withWeights([1, 1, 1]), true)
  t.equal(sampler.draw(() => 0.5), 1, 'uniform weights: direct index')
})
