import t from 'tap'
import { entropyRng, randomHex, randomInt, seededRng } from '../../src/base/rng.js'

t.test('the same seed gives the same sequence; another seed another', async (t) => {
  const a = seededRng(42)
  const b = seededRng('42')
  const c = seededRng(43)
  const sa = Array.from({ length: 5 }, a)
  t.same(Array.from({ length: 5 }, b), sa)
  t.not(Array.from({ length: 5 }, c).join(), sa.join())
  for (const x of sa) t.ok(x >= 0 && x < 1)
})

t.test('randomInt is uniform enough over [0, n)', async (t) => {
  const rng = seededRng('uniform')
  const counts = [0, 0, 0, 0]
  for (let i = 0; i < 40_000; i++) counts[randomInt(rng, 4)]!++
  // chi-square with 3 degrees of freedom; 16.27 is the 0.001 critical value
  const chi = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0)
  t.ok(chi < 16.27, `chi-square ${chi.toFixed(2)} over ${counts.join(',')}`)
})

t.test('entropy sources differ between calls', async (t) => {
  t.not(entropyRng()(), entropyRng()())
  t.match(randomHex(8), /^[0-9a-f]{16}$/)
  t.not(randomHex(8), randomHex(8))
})
