import t from 'tap'
import type { Pod, ReplicaSet } from '../../../src/api/types.js'
import { calculateReplicaSetStatus, computeReplicaSetDiff, rankPodsForDeletion } from '../../../src/controllers/replicaset/reconcile.js'

const rs = (replicas: number, minReadySeconds = 0): ReplicaSet => ({
  metadata: { name: 'rs', namespace: 'd', generation: 2 },
  spec: { replicas, minReadySeconds, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } },
})
const pod = (name: string, o: { node?: string; phase?: 'Pending' | 'Running'; ready?: boolean; created?: string; readySince?: string; labels?: Record<string, string> } = {}): Pod => ({
  metadata: { name, namespace: 'd', creationTimestamp: o.created ?? '2026-01-01T00:00:00Z', labels: o.labels ?? { app: 'web' } },
  spec: { containers: [], nodeName: o.node },
  status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: o.readySince ?? '2026-01-01T00:00:00Z' }] },
})

t.test('creates the missing, deletes the surplus cheapest first', async (t) => {
  t.same(computeReplicaSetDiff(rs(3), [pod('a')]), { create: 2, remove: [] })
  t.same(computeReplicaSetDiff(rs(1), [pod('a')]), { create: 0, remove: [] })
  const pods = [
    pod('ready-old', { node: 'n', ready: true, created: '2026-01-01T00:00:00Z' }),
    pod('ready-new', { node: 'n', ready: true, created: '2026-01-02T00:00:00Z' }),
    pod('unready', { node: 'n', ready: false }),
    pod('pending', { node: 'n', phase: 'Pending' }),
    pod('unscheduled', { phase: 'Pending' }),
  ]
  t.same(rankPodsForDeletion(pods).map((p) => p.metadata.name), ['unscheduled', 'pending', 'unready', 'ready-new', 'ready-old'])
  t.same(computeReplicaSetDiff(rs(2), pods).remove.map((p) => p.metadata.name), ['unscheduled', 'pending', 'unready'])
})

t.test('status counts labelled, ready and available (minReadySeconds) pods', async (t) => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 30)
  const pods = [
    pod('a', { ready: true, readySince: '2026-01-01T00:00:00Z' }),
    pod('b', { ready: true, readySince: '2026-01-01T00:00:25Z' }),
    pod('c', { ready: false, labels: { app: 'web', extra: '1' } }),
    pod('d', { ready: false, labels: { other: 'x' } }),
  ]
  t.same(calculateReplicaSetStatus(rs(4, 10), pods, 1, now), { replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 1, observedGeneration: 2, terminatingReplicas: 1 })
})
