import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { LogHistogram } from '../../src/sim/histogram.js'

t.test('quantiles are within the bucket resolution of the exact ones', async (t) => {
  const rng = seededRng('hist')
  const h = new LogHistogram()
  const xs: number[] = []
  for (let i = 0; i < 20000; i++) {
    const x = -Math.log(1 - rng()) * 3
    xs.push(x)
    h.record(x)
  }
  xs.sort((a, b) => a - b)
  for (const q of [0.01, 0.5, 0.9, 0.99, 0.999]) {
    const exact = xs[Math.ceil(q * xs.length) - 1]!
    const got = h.quantile(q)
    t.ok(Math.abs(got - exact) / exact <= 1 / 256 + 1e-12, `q=${q}: ${got} vs ${exact}`)
  }
  t.equal(h.count, 20000)
  t.ok(Math.abs(h.mean() - xs.reduce((a, b) => a + b, 0) / xs.length) < 1e-9, 'the mean is exact')
  t.equal(h.quantile(1), xs[xs.length - 1], 'the maximum is exact')
  t.equal(h.quantile(0), xs[0], 'the minimum is exact')
})

t.test('powers of two, tiny and huge values land in the right buckets', async (t) => {
  const h = new LogHistogram(1)
  for (const v of [1, 2, 4, 1024]) h.record(v)
  t.equal(h.quantile(0.25), 1)
  t.ok(Math.abs(h.quantile(0.5) - 2) / 2 <= 1 / 256)
  t.ok(Math.abs(h.quantile(0.75) - 4) / 4 <= 1 / 256)
  const g = new LogHistogram()
  g.record(0)
  g.record(1e30)
  t.equal(g.quantile(0.5), 0)
  t.equal(g.quantile(1), 1e30)
})

t.test('an empty histogram reports NaN', async (t) => {
  const h = new LogHistogram()
  t.ok(Number.isNaN(h.mean()))
  t.ok(Number.isNaN(h.quantile(0.5)))
  t.same(new LogHistogram().cdf([]), [])
})

t.test('cdf gives (value, fraction) points', async (t) => {
  const h = new LogHistogram()
  for (let i = 1; i <= 100; i++) h.record(i)
  const pts = h.cdf([0.5, 1])
  t.equal(pts[0]!.fraction, 0.5)
  t.ok(Math.abs(pts[0]!.value - 50) / 50 <= 1 / 256)
  t.same(pts[1], { value: 100, fraction: 1 })
})
