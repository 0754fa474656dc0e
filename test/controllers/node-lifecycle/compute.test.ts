import t from 'tap'
import type { Node, Pod } from '../../../src/api/types.js'
import { LeaseObserver, desiredTaints, evictionTime, unknownConditions } from '../../../src/controllers/node-lifecycle/compute.js'

const T0 = Date.UTC(2026, 0, 1)
const node = (ready: 'True' | 'False' | 'Unknown', taints?: Node['spec']): Node => ({ metadata: { name: 'n' }, spec: taints ?? {}, status: { conditions: [{ type: 'Ready', status: ready }, { type: 'MemoryPressure', status: 'False' }] } })

t.test('a lease is healthy while it changes within the grace period, measured on our clock', async (t) => {
  const o = new LeaseObserver()
  o.observe('n', '2020-01-01T00:00:00Z', T0)
  t.ok(o.healthy('n', T0 + 40_000, 40_000))
  t.notOk(o.healthy('n', T0 + 40_001, 40_000))
  o.observe('n', '2020-01-01T00:00:00Z', T0 + 50_000)
  t.notOk(o.healthy('n', T0 + 50_000, 40_000), 'the same renewTime again is no renewal')
  o.observe('n', '2020-01-01T00:00:10Z', T0 + 50_000)
  t.ok(o.healthy('n', T0 + 50_000, 40_000))
  t.ok(o.healthy('new', T0, 40_000), 'first sight starts the grace period')
})

t.test('conditions go Unknown and taints follow Ready', async (t) => {
  t.match(unknownConditions(node('True'), T0), [
    { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: '2026-01-01T00:00:00Z' },
    { type: 'MemoryPressure', status: 'Unknown' },
  ])
  t.same(desiredTaints(node('Unknown', { taints: [{ key: 'x', effect: 'NoSchedule' }] }), T0), [
    { key: 'x', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
  ])
  t.same(desiredTaints(node('False'), T0).map((x) => x.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/not-ready'])
  t.same(desiredTaints(node('True', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }), T0), [], 'removed once Ready')
  const kept = desiredTaints(node('Unknown', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2025-12-31T00:00:00Z' }] }), T0)
  t.equal(kept[1]!.timeAdded, '2025-12-31T00:00:00Z', 'timeAdded kept')
})

t.test('eviction time: tolerationSeconds, forever, or the default for untolerated taints', async (t) => {
  const taints = desiredTaints(node('Unknown'), T0)
  const pod = (tolerations: Pod['spec']['tolerations']): Pod => ({ metadata: { name: 'p' }, spec: { containers: [], tolerations } })
  t.equal(evictionTime(pod(undefined), taints, 300), T0 + 300_000)
  t.equal(evictionTime(pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]), taints, 300), T0 + 5_000)
  t.equal(evictionTime(pod([{ operator: 'Exists' }]), taints, 300), undefined, 'tolerates everything forever')
})
