import t from 'tap'
import { milliCPU, parseQuantity } from '../../src/scheduler/quantity.js'

t.test('quantities in base units', async (t) => {
  const cases: [string, number][] = [['100m', 0.1], ['2', 2], ['1.5', 1.5], ['64Mi', 64 * 1024 * 1024], ['1Gi', 1024 ** 3], ['1G', 1e9], ['1k', 1000], ['1e3', 1000], ['250u', 0.00025]]
  for (const [q, want] of cases) t.equal(parseQuantity(q), want, q)
  t.equal(milliCPU('100m'), 100)
  t.equal(milliCPU('1.5'), 1500)
  t.equal(milliCPU('0.0001'), 1, 'rounded up as MilliValue')
  t.throws(() => parseQuantity('lots'), /not a Kubernetes quantity/)
})
