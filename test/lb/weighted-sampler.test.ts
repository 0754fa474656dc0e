import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { WeightedSampler } from '../../src/lb/weighted-sampler.js'

function reset(sampler: WeightedSampler, ws: number[], uniform = false): void {
  sampler.reset(
    ws.map((_, i) => i),
    ws,
    uniform,
  )
}

t.test('draws follow the weights (χ² < 16.27, α = 0.001, 3 df)', async (t) => {
  const sampler = new WeightedSampler()
  const ws = [1, 2, 3, 4]
  reset(sampler, ws)
  const rng = seededRng('sampler')
  const counts = [0, 0, 0, 0]
  const n = 20000
  for (let i = 0; i < n; i++) counts[sampler.draw(rng)]!++
  const x = counts.reduce((acc, c, i) => acc + (c - (n * ws[i]!) / 10) ** 2 / ((n * ws[i]!) / 10), 0)
  t.ok(x < 16.27, `χ² = ${x.toFixed(2)}, counts ${counts.join(',')}`)
})

t.test('edges of the cumulative search: rng 0 gives the first, rng just below 1 the last', async (t) => {
  const sampler = new WeightedSampler()
  reset(sampler, [1, 0.5, 2])
  t.equal(sampler.draw(() => 0), 0)
  t.equal(sampler.draw(() => 0.999999), 2)
  // 1/3.5 ≈ 0.2857 is where e1's band starts.
  t.equal(sampler.draw(() => 0.3), 1)
  reset(sampler, [1, 1, 1], true)
  t.equal(sampler.draw(() => 0.5), 1, 'uniform weights: direct index')
})

t.test('weights are read through the pickable positions', async (t) => {
  const sampler = new WeightedSampler()
  // Pickable positions 1 and 3 of a four-endpoint weight column: the draw returns the pickable index.
  sampler.reset([1, 3], [100, 1, 100, 3], false)
  t.equal(sampler.draw(() => 0.2), 0, 'within the first quarter: position 1 (weight 1)')
  t.equal(sampler.draw(() => 0.3), 1, 'beyond it: position 3 (weight 3)')
})
