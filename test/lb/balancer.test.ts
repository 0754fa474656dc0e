// Conformance of every registered algorithm, bare and under all three layers, to the Balancer
// contract of src/lb/balancer.ts (which holds only types, so its behaviour is tested here).
import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import type { Balancer } from '../../src/lb/balancer.js'
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
