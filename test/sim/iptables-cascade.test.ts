import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { cascadeThreshold, IptablesCascadeBalancer } from '../../src/sim/iptables-cascade.js'
import { chiSquare } from '../../src/sim/metrics.js'

t.test('thresholds are what iptables stores for kube-proxy\'s probabilities', async (t) => {
  // The reference's iptables-save text for n = 5: 0.20000000019, 0.25000000000, 0.33333333349, 0.50000000000.
  const saved = [5, 4, 3, 2].map((n) => (cascadeThreshold(n) / 0x80000000).toFixed(11))
  t.same(saved, ['0.20000000019', '0.25000000000', '0.33333333349', '0.50000000000'])
})

for (const n of [2, 5, 10]) {
  t.test(`the cascade gives each of ${n} endpoints 1/${n} of connections (χ²)`, async (t) => {
    const b = new IptablesCascadeBalancer(seededRng(`cascade-${n}`))
    const ids = Array.from({ length: n }, (_, i) => `10.244.0.${i + 1}:80`)
    b.update(ids.map((id) => ({ id })))
    const counts = new Array<number>(n).fill(0)
    const m = 10000 * n
    for (let i = 0; i < m; i++) counts[ids.indexOf(b.pick()!)]!++
    const chi = chiSquare(counts, new Array<number>(n).fill(1 / n))
    // Critical values of χ² with n−1 degrees of freedom at α = 0.001 (the reference: 18.47 for n = 5, 27.88 for n = 10).
    const critical: Record<number, number> = { 2: 10.83, 5: 18.47, 10: 27.88 }
    t.ok(chi < critical[n]!, `χ² = ${chi.toFixed(2)} < ${critical[n]}`)
  })
}

t.test('the rule order matters, not chance: the last endpoint is the unconditional one', async (t) => {
  // An rng that always returns just under 1 misses every probabilistic rule.
  const b = new IptablesCascadeBalancer(() => 0.9999999)
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  t.equal(b.pick(), 'c')
  const first = new IptablesCascadeBalancer(() => 0)
  first.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  t.equal(first.pick(), 'a')
})

t.test('not-ready and weight-0 endpoints leave the cascade; state follows the id', async (t) => {
  const b = new IptablesCascadeBalancer(seededRng(1))
  b.update([{ id: 'a' }, { id: 'b', ready: false }, { id: 'c', weight: 0 }])
  const seen = new Set<string>()
  for (let i = 0; i < 100; i++) seen.add(b.pick()!)
  t.same([...seen], ['a'])
  t.notOk(b.available('b'))
  t.ok(b.available('a'))
  b.onStart('a')
  b.onStart('a')
  b.onFinish('a', { ok: true, durationMs: 1 })
  b.onFinish('zz', { ok: true, durationMs: 1 })
  b.update([{ id: 'a' }, { id: 'b' }])
  t.same(b.snapshot(), [
    { id: 'a', weight: 1, ready: true, available: true, active: 1 },
    { id: 'b', weight: 1, ready: true, available: true, active: 0 },
  ])
  b.update([])
  t.equal(b.pick(), undefined)
  t.equal(b.algorithm, 'iptables')
})
