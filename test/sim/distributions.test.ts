import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { makeSampler, meanOf, type Distribution } from '../../src/sim/distributions.js'

const cases: [Distribution, number][] = [
  [{ distribution: 'exponential', mean: 2 }, 0.03],
  [{ distribution: 'fixed', value: 3 }, 0],
  [{ distribution: 'lognormal', mean: 1, sigma: 0.5 }, 0.03],
  [{ distribution: 'pareto', mean: 1, alpha: 3 }, 0.05],
]

for (const [d, tol] of cases) {
  t.test(`${d.distribution}: the sample mean approaches the configured mean`, async (t) => {
    const s = makeSampler(d, seededRng(d.distribution))
    let sum = 0
    const n = 100000
    let min = Infinity
    for (let i = 0; i < n; i++) {
      const x = s()
      sum += x
      if (x < min) min = x
    }
    t.ok(Math.abs(sum / n - meanOf(d)) <= tol * meanOf(d) + 1e-12, `mean ${sum / n} vs ${meanOf(d)}`)
    t.ok(min > 0, 'draws are positive')
  })
}

t.test('pareto never goes below its scale mean·(α−1)/α', async (t) => {
  const s = makeSampler({ distribution: 'pareto', mean: 3, alpha: 3 }, seededRng(1))
  let min = Infinity
  for (let i = 0; i < 1000; i++) min = Math.min(min, s())
  t.ok(min >= 2 - 1e-12 && min < 2.05, `min ${min}`)
})

t.test('infinite never ends', async (t) => {
  t.equal(makeSampler({ distribution: 'infinite' }, seededRng(1))(), Infinity)
  t.equal(meanOf({ distribution: 'infinite' }), Infinity)
})
