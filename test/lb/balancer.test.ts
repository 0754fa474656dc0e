// Conformance of every registered algorithm, bare and under all three layers, to the Balancer
// contract of src/lb/balancer.ts (which holds only types, so its behaviour is tested here).
import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import type { Balancer } from '../../src/lb/balancer.js'
import { EndpointIds } from '../../src/lb/endpoint-set.js'
import { ALGORITHMS, createBalancer } from '../../src/lb/registry.js'

const layers = { sessionAffinity: { timeoutSeconds: 60 }, outlierDetection: { consecutiveFailures: 3 } }

const variants = ALGORITHMS.flatMap((a) => [
  { label: a.name, make: (seed: string) => createBalancer(a.name, {}, { rng: seededRng(seed), clock: new FakeClock() }) },
  {
    label: `${a.name} + layers`,
    make: (seed: string) =>
      createBalancer(a.name, a.hashed ? layers : { ...layers, slowStart: { windowSeconds: 10 } }, { rng: seededRng(seed), clock: new FakeClock() }),
  },
])

function drive(b: Balancer, n: number): string[] {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const id = b.pick({ clientIP: `10.0.${i >> 8}.${i & 255}` })
    if (id === undefined) throw new Error('nothing picked')
    out.push(id)
  }
  return out
}

for (const v of variants) {
  t.test(v.label, async (t) => {
    const b = v.make('contract')
    t.equal(b.pick({ clientIP: '10.0.0.1' }), undefined, 'no endpoints: undefined')
    b.update([{ id: 'x', ready: false }, { id: 'y', weight: 0 }])
    t.equal(b.pick({ clientIP: '10.0.0.1' }), undefined, 'none available: undefined')

    b.update([{ id: 'a' }, { id: 'b', weight: 2 }, { id: 'c', ready: false }, { id: 'd', weight: 0 }, { id: 'e' }])
    const picked = new Set(drive(b, 600))
    t.same([...picked].sort(), ['a', 'b', 'e'], 'every available endpoint and nothing else')
    t.same(
      ['a', 'b', 'c', 'd', 'e'].map((id) => b.available(id)),
      [true, true, false, false, true],
    )

    b.onStart('a')
    b.onStart('a')
    b.onStart('c')
    b.onFinish('a', { ok: true, durationMs: 3 })
    b.onFinish('ghost', { ok: false, durationMs: 1 })
    b.update([{ id: 'a' }, { id: 'c' }, { id: 'f' }])
    t.same(
      b.snapshot().map((s) => [s.id, s.active, s.ready, s.available]),
      [
        ['a', 1, true, true],
        ['c', 1, true, true],
        ['f', 0, true, true],
      ],
      'active counts survive an update',
    )
    t.ok(['a', 'c', 'f'].includes(b.pick({ clientIP: '10.0.0.9' })!), 'picks from the new set')

    const again = v.make('contract')
    const other = v.make('contract')
    again.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
    other.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
    t.same(drive(again, 50), drive(other, 50), 'same seed and inputs, same picks')
  })
}

// The position-addressed path the simulator uses: columns in, positions out, the same decisions.
for (const v of variants) {
  t.test(`${v.label}: columns and the index methods make the same decisions as specs and ids`, async (t) => {
    const specs = [{ id: 'a' }, { id: 'b', weight: 2 }, { id: 'c', ready: false }, { id: 'd', weight: 0 }, { id: 'e' }]
    const ids = new EndpointIds(specs.map((s) => s.id))
    const cols = { ids, weights: specs.map((s) => s.weight ?? 1), ready: specs.map((s) => (s.ready === false ? 0 : 1)) }
    const byId = v.make('index')
    const byIndex = v.make('index')
    byId.update(specs)
    byIndex.update(cols)
    const outcome = { ok: true, durationMs: 2 }
    for (let i = 0; i < 300; i++) {
      const ctx = { clientIP: `10.1.${i >> 8}.${i & 255}` }
      const id = byId.pick(ctx)!
      const p = byIndex.pickIndex(ctx)
      if (ids.list[p] !== id) return t.fail(`pick ${i}: ${id} by id, position ${p} by index`)
      // Keep a few in flight so that load-aware algorithms see differing loads.
      byId.onStart(id)
      byIndex.onStartIndex(p)
      if (i % 3 !== 0) {
        outcome.ok = i % 7 !== 0
        byId.onFinish(id, outcome)
        byIndex.onFinishIndex(p, outcome)
      }
    }
    t.same(byIndex.snapshot(), byId.snapshot(), 'the same state either way')
    byIndex.update({ ids, ready: [1, 1, 1, 1, 0] })
    t.equal(byIndex.available('e'), false, 'readiness by position')
    t.equal(byIndex.available('c'), true)
    byIndex.onStartIndex(99)
    byIndex.onFinishIndex(-1, outcome)
    t.equal(byIndex.pickIndex({ clientIP: '10.9.9.9' }) < 4, true, 'positions outside the list are ignored; picks stay in the list')
  })
}
