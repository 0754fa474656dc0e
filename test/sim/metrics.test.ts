import t from 'tap'
import { chiSquare, jainIndex, supermarketMeanTime } from '../../src/sim/metrics.js'

t.test('Jain\'s index: 1 when even, 1/n when one takes all', async (t) => {
  t.equal(jainIndex([3, 3, 3, 3]), 1)
  t.equal(jainIndex([1, 0, 0, 0]), 0.25)
  // (1+2+3)² / (3·(1+4+9)) = 36/42
  t.equal(jainIndex([1, 2, 3]), 36 / 42)
  t.equal(jainIndex([]), 1)
  t.equal(jainIndex([0, 0]), 1)
})

t.test('χ² of observed counts', async (t) => {
  // (12−10)²/10 + (8−10)²/10 = 0.8
  t.equal(chiSquare([12, 8], [0.5, 0.5]), 0.8)
  t.equal(chiSquare([5, 5], [0.5, 0.5]), 0)
})

t.test('the supermarket limit: the published values', async (t) => {
  t.equal(supermarketMeanTime(0.9, 1), 1 / (1 - 0.9))
  // 1 + 0.9² + 0.9⁶ + 0.9¹⁴ + 0.9³⁰ + … ≈ 2.614 (issue §3)
  t.ok(Math.abs(supermarketMeanTime(0.9, 2) - 2.614) < 0.0005)
  const byHand = 1 + 0.9 ** 2 + 0.9 ** 6 + 0.9 ** 14 + 0.9 ** 30 + 0.9 ** 62 + 0.9 ** 126
  t.ok(Math.abs(supermarketMeanTime(0.9, 2) - byHand) < 1e-9)
  // d = 3: exponents (3^i − 3)/2 = 0, 3, 12, 39, …
  t.ok(Math.abs(supermarketMeanTime(0.9, 3) - (1 + 0.9 ** 3 + 0.9 ** 12 + 0.9 ** 39 + 0.9 ** 120)) < 1e-9)
  t.throws(() => supermarketMeanTime(1, 2), RangeError)
})
