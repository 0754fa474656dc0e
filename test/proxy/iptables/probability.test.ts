import t from 'tap'
import { formatFixed10, probability } from '../../../src/proxy/iptables/probability.js'

t.test('Go %0.10f of 1/n, including the n = 2048 tie toFixed gets wrong', async (t) => {
  // Values from the reference (§3.2), checked there against Go.
  const table: [number, string][] = [
    [1, '1.0000000000'],
    [2, '0.5000000000'],
    [3, '0.3333333333'],
    [4, '0.2500000000'],
    [5, '0.2000000000'],
    [6, '0.1666666667'],
    [7, '0.1428571429'],
    [10, '0.1000000000'],
    [100, '0.0100000000'],
    [2048, '0.0004882812'],
    [100001, '0.0000099999'],
  ]
  for (const [n, s] of table) t.equal(probability(n), s, `n = ${n}`)
  t.equal((1 / 2048).toFixed(10), '0.0004882813', 'JavaScript rounds the tie up')
})

t.test('half-to-even on exact binary values', async (t) => {
  // 0.5e-10 above/below: 1.25e-10 is not exactly representable, so it rounds by its true value.
  t.equal(formatFixed10(2 ** -11), '0.0004882812', '2^-11 = 0.00048828125 exactly: tie to even')
  t.equal(formatFixed10(3 * 2 ** -11), '0.0014648438', '0.00146484375 exactly: tie to even (8)')
  t.equal(formatFixed10(0), '0.0000000000')
  t.equal(formatFixed10(12.5), '12.5000000000')
  t.throws(() => formatFixed10(-1))
})

t.test('agrees with toFixed wherever toFixed has no tie (spot check 1..5000)', async (t) => {
  let diffs = 0
  for (let n = 1; n <= 5000; n++) if (probability(n) !== (1 / n).toFixed(10)) diffs++
  t.equal(diffs, 1, 'only n = 2048 differs in this range')
})
