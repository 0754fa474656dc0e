import t from 'tap'
import { entropyRng, fastRng, randomHex, randomInt, seededRng } from '../../src/base/rng.js'

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

t.test('fastRng: reproducible per seed, in [0, 1), uniform (χ², 9 df), independent of seededRng', async (t) => {
  const a = Array.from({ length: 1000 }, fastRng('s'))
  t.same(Array.from({ length: 1000 }, fastRng('s')), a, 'same seed, same sequence')
  t.not(Array.from({ length: 5 }, fastRng('t')).join(), a.slice(0, 5).join())
  t.not(Array.from({ length: 5 }, seededRng('s')).join(), a.slice(0, 5).join(), 'another generator than seededRng')
  t.ok(a.every((x) => x >= 0 && x < 1))
  const rng = fastRng(7)
  const counts = new Array<number>(10).fill(0)
  for (let i = 0; i < 100_000; i++) counts[Math.floor(rng() * 10)]!++
  // 27.88 is the 0.001 critical value of χ² with 9 degrees of freedom.
  const chi = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0)
  t.ok(chi < 27.88, `χ² ${chi.toFixed(2)}`)
  // Successive pairs: no linear dependence (|r| well under 4 standard errors of 1/√n).
  let sx = 0
  let sxy = 0
  let sxx = 0
  let prev = rng()
  const n = 100_000
  for (let i = 0; i < n; i++) {
    const x = rng()
    sx += prev
    sxy += prev * x
    sxx += prev * prev
    prev = x
  }
  const mean = sx / n
  const r = (sxy / n - mean * mean) / (sxx / n - mean * mean)
  t.ok(Math.abs(r) < 4 / Math.sqrt(n), `lag-1 correlation ${r.toFixed(5)}`)
})
