import t from 'tap'
import { MAGLEV_SIZES, MaglevBalancer, buildMaglevTable, isPrime, maglevTableSize } from '../../src/lb/maglev.js'
import { clientIPs, endpointIds, moved } from './synthetic-load.js'

t.test("the paper's worked example (NSDI 2016, Table 1): M = 7, three backends, then B1 removed", async (t) => {
  // (offset, skip) for B0, B1, B2 = (3,4), (0,2), (3,1); reference §2.1.
  const b0 = { offset: 3, skip: 4, weight: 1 }
  const b1 = { offset: 0, skip: 2, weight: 1 }
  const b2 = { offset: 3, skip: 1, weight: 1 }
  const names = (table: Int32Array, ids: string[]): string[] => Array.from(table, (i) => ids[i]!)
  t.same(names(buildMaglevTable([b0, b1, b2], 7), ['B0', 'B1', 'B2']), ['B1', 'B0', 'B1', 'B0', 'B2', 'B2', 'B0'])
  t.same(names(buildMaglevTable([b0, b2], 7), ['B0', 'B2']), ['B0', 'B0', 'B0', 'B0', 'B2', 'B2', 'B2'])
})

t.test('equal weights: every endpoint holds ⌊M/N⌋ or ⌈M/N⌉ entries', async (t) => {
  for (const n of [3, 10, 100]) {
    const b = new MaglevBalancer(65537)
    b.update(endpointIds(n))
    const table = b.lookupTable()
    t.equal(table.length, 65537)
    const counts = new Array<number>(n).fill(0)
    for (const i of table) counts[i]!++
    const lo = Math.floor(65537 / n)
    t.ok(
      counts.every((c) => c === lo || c === lo + 1),
      `n=${n}: min ${Math.min(...counts)}, max ${Math.max(...counts)}, allowed ${lo}..${lo + 1}`,
    )
  }
})

t.test("weights 1:2 in a 65537-entry table give Envoy's 21,846 and 43,691 entries", async (t) => {
  const b = new MaglevBalancer(65537)
  b.update([{ id: 'a', weight: 1 }, { id: 'b', weight: 2 }])
  const counts = [0, 0]
  for (const i of b.lookupTable()) counts[i]!++
  t.same(counts, [21846, 43691])
})

t.test('removing one of N endpoints remaps about 1/N of keys, few of them from survivors', async (t) => {
  const keys = clientIPs(20000)
  // Reference §2.1 [C]: N = 10, M = 65537 → 10.24% changed (0.24% extra); N = 100 → 1.55% (0.55% extra).
  for (const [n, extraBound] of [
    [10, 0.01],
    [100, 0.015],
  ] as const) {
    const b = new MaglevBalancer(65537)
    b.update(endpointIds(n))
    const before = new Map(keys.map((k) => [k, b.pick({ clientIP: k })!]))
    b.update(endpointIds(n).filter((e) => e.id !== 'e1'))
    const after = new Map(keys.map((k) => [k, b.pick({ clientIP: k })!]))
    const total = moved(before, after) / keys.length
    let extra = 0
    for (const [k, id] of before) if (id !== 'e1' && after.get(k) !== id) extra++
    t.ok(Math.abs(total - 1 / n) < Math.max(0.02, 0.5 / n), `n=${n}: moved ${total.toFixed(4)} ≈ 1/${n}`)
    t.ok(extra / keys.length < extraBound, `n=${n}: extra ${(extra / keys.length).toFixed(4)} < ${extraBound}`)
  }
})

t.test('table size: a prime above 100 × endpoints, stepping through the listed sizes', async (t) => {
  t.ok(MAGLEV_SIZES.every(isPrime), 'every listed size is prime')
  t.same([isPrime(7), isPrime(9), isPrime(65537), isPrime(1), isPrime(2)], [true, false, true, false, true])
  t.equal(maglevTableSize(65537, 10), 65537)
  t.equal(maglevTableSize(251, 10), 1021, '251 is not > 1000: the next listed size above 1000')
  t.equal(maglevTableSize(65537, 700), 131071)
  t.equal(maglevTableSize(65537, 655), 65537)
  t.throws(() => maglevTableSize(7, 100_000), /need a table larger/)
  const b = new MaglevBalancer(251)
  b.update(endpointIds(3))
  t.equal(b.lookupTable().length, 509, '3 endpoints need more than 300 entries')
})

t.test('keys: hash key before client IP; round-robin without either; empty set', async (t) => {
  const b = new MaglevBalancer(65537)
  t.equal(b.pick({ clientIP: '10.0.0.1' }), undefined)
  b.update(endpointIds(4))
  t.equal(b.pick({ hashKey: 'user-7', clientIP: '10.0.0.1' }), b.pick({ hashKey: 'user-7', clientIP: '10.9.9.9' }))
  t.equal(b.pick({ clientIP: '10.0.0.1' }), b.pick({ hashKey: '10.0.0.1' }))
  t.same([b.pick(), b.pick(), b.pick(), b.pick(), b.pick()], ['e0', 'e1', 'e2', 'e3', 'e0'])
  b.update([])
  t.equal(b.pick({ clientIP: '10.0.0.1' }), undefined)
})
