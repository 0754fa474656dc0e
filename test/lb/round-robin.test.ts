import t from 'tap'
import { RoundRobinBalancer, roundRobin } from '../../src/lb/round-robin.js'

function picks(b: RoundRobinBalancer, n: number): string {
  return Array.from({ length: n }, () => b.pick()).join(' ')
}

t.test('weights 5,1,1 give nginx smooth order a a b a c a a, every cycle', async (t) => {
  const b = new RoundRobinBalancer()
  b.update([
    { id: 'a', weight: 5 },
    { id: 'b', weight: 1 },
    { id: 'c', weight: 1 },
  ])
  // Reference §2.2: nginx smooth WRR for (5,1,1).
  t.equal(picks(b, 7), 'a a b a c a a')
  t.equal(picks(b, 7), 'a a b a c a a')
})

t.test('weights 4,3,2 give a b c a b a c b a (reference §2.2)', async (t) => {
  const b = new RoundRobinBalancer()
  b.update([
    { id: 'a', weight: 4 },
    { id: 'b', weight: 3 },
    { id: 'c', weight: 2 },
  ])
  t.equal(picks(b, 9), 'a b c a b a c b a')
})

t.test('equal weights rotate in list order', async (t) => {
  const b = new RoundRobinBalancer()
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  t.equal(picks(b, 6), 'a b c a b c')
})

t.test('an update continues the rotation for endpoints that stay', async (t) => {
  const b = new RoundRobinBalancer()
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  t.equal(picks(b, 2), 'a b')
  // b leaves, d joins: c is next (it was due), then the new d (recentred at the mean), then a.
  b.update([{ id: 'a' }, { id: 'c' }, { id: 'd' }])
  t.equal(picks(b, 6), 'c d a c d a')
})

t.test('an unchanged update does not disturb the sequence', async (t) => {
  const b = new RoundRobinBalancer()
  const eps = [{ id: 'a', weight: 5 }, { id: 'b' }, { id: 'c' }]
  b.update(eps)
  t.equal(picks(b, 3), 'a a b')
  b.update(eps.map((e) => ({ ...e })))
  t.equal(picks(b, 4), 'a c a a')
})

t.test('not-ready and zero-weight endpoints are skipped; none left gives undefined', async (t) => {
  const b = new RoundRobinBalancer()
  t.equal(b.pick(), undefined)
  b.update([{ id: 'a' }, { id: 'b', ready: false }, { id: 'c', weight: 0 }, { id: 'd' }])
  t.equal(picks(b, 4), 'a d a d')
  t.equal(b.available('b'), false)
  t.equal(b.available('c'), false)
  t.equal(b.available('a'), true)
  b.update([{ id: 'a', ready: false }])
  t.equal(b.pick(), undefined)
})

t.test('a single endpoint is always picked; the registry entry builds the class', async (t) => {
  const b = roundRobin.create({}, { rng: () => 0, clock: undefined as never })
  b.update([{ id: 'only' }])
  t.equal(picks(b as RoundRobinBalancer, 3), 'only only only')
  t.equal(b.algorithm, 'round-robin')
})
