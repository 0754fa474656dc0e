import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { RandomBalancer } from '../../src/lb/random.js'
import { endpointIds } from './synthetic-load.js'

function chiSquare(counts: Map<string, number>, expected: Map<string, number>): number {
  let x = 0
  for (const [id, e] of expected) x += ((counts.get(id) ?? 0) - e) ** 2 / e
  return x
}

function tally(b: RandomBalancer, picks: number): Map<string, number> {
  const counts = new Map<string, number>()
  for (let i = 0; i < picks; i++) {
    const id = b.pick()!
    counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}

t.test('equal weights: uniform by a χ² test (reference §3: 18.47 at α = 0.001 for n = 5)', async (t) => {
  const b = new RandomBalancer(seededRng('uniform'))
  b.update(endpointIds(5))
  const counts = tally(b, 10000)
  const x = chiSquare(counts, new Map(endpointIds(5).map((e) => [e.id, 2000])))
  t.ok(x < 18.47, `χ² = ${x.toFixed(2)}`)
})

t.test('weights 5,1,1: shares 5/7, 1/7, 1/7 by a χ² test (2 degrees of freedom, 13.82 at α = 0.001)', async (t) => {
  const b = new RandomBalancer(seededRng('weighted'))
  b.update([{ id: 'a', weight: 5 }, { id: 'b' }, { id: 'c' }, { id: 'off', weight: 0 }])
  const n = 14000
  const counts = tally(b, n)
  t.equal(counts.get('off'), undefined)
  const x = chiSquare(
    counts,
    new Map([
      ['a', (n * 5) / 7],
      ['b', n / 7],
      ['c', n / 7],
    ]),
  )
  t.ok(x < 13.82, `χ² = ${x.toFixed(2)}`)
})

t.test('the same seed gives the same sequence; no endpoints gives undefined', async (t) => {
  const seq = (seed: string): string => {
    const b = new RandomBalancer(seededRng(seed))
    b.update(endpointIds(4))
    return Array.from({ length: 30 }, () => b.pick()).join(',')
  }
  t.equal(seq('s1'), seq('s1'))
  t.not(seq('s1'), seq('s2'))
  t.equal(new RandomBalancer(seededRng(1)).pick(), undefined)
})
