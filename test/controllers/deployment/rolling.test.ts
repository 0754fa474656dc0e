import t from 'tap'
import type { Deployment, ReplicaSet } from '../../../src/api/types.js'
import { newRSReplicas, resolveFenceposts, scaleDownOld, scaledValue } from '../../../src/controllers/deployment/rolling.js'

const d = (replicas: number, maxSurge: number | string, maxUnavailable: number | string): Deployment => ({
  metadata: { name: 'd' },
  spec: { replicas, selector: {}, template: { spec: { containers: [] } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
})
const rs = (name: string, replicas: number, available: number, created = '2026-01-01T00:00:00Z'): ReplicaSet => ({
  metadata: { name, creationTimestamp: created },
  spec: { replicas, selector: {} },
  status: { replicas, availableReplicas: available },
})

t.test('fenceposts: percentages round surge up and unavailable down; both zero means one unavailable', async (t) => {
  t.same(resolveFenceposts(d(10, '25%', '25%')), { maxSurge: 3, maxUnavailable: 2 })
  t.same(resolveFenceposts(d(3, 0, 0)), { maxSurge: 0, maxUnavailable: 1 })
  t.same(resolveFenceposts(d(4, 1, 1)), { maxSurge: 1, maxUnavailable: 1 })
  t.equal(scaledValue(undefined, 4, true, '25%'), 1)
  t.throws(() => scaledValue('abc', 4, true, '25%'), /integer or a percentage/)
})

t.test('a rolling update of 4 replicas, maxSurge 1, maxUnavailable 1, step by step', async (t) => {
  const dep = d(4, 1, 1)
  // Step 1: new RS may grow to 1 (4 old + 1 new = 5 = replicas + maxSurge).
  t.equal(newRSReplicas(dep, [rs('old', 4, 4)], undefined), 1)
  // New RS at 1 (not yet available): old may drop 1 (available 4 - minAvailable 3), no more.
  t.same([...scaleDownOld(dep, rs('new', 1, 0), [rs('old', 4, 4)])], [['old', 3]])
  // New pods not available and old already at 3: available 3 = minAvailable, nothing to scale down.
  t.same([...scaleDownOld(dep, rs('new', 2, 0), [rs('old', 3, 3)])], [])
  // Unhealthy old pods go first, without touching availability.
  // 5 pods, 3 available: the 2 unavailable old pods go; the available one stays (3 = replicas - maxUnavailable).
  t.same([...scaleDownOld(dep, rs('new', 2, 2), [rs('old', 3, 1)])], [['old', 1]])
  t.equal(newRSReplicas(dep, [rs('new', 4, 4), rs('old', 0, 0)], rs('new', 4, 4)), 4, 'done')
  t.equal(newRSReplicas(d(2, 1, 1), [rs('new', 4, 4)], rs('new', 4, 4)), 2, 'scaled down to replicas')
})

t.test('oldest ReplicaSets shrink first', async (t) => {
  const dep = d(4, 0, 2)
  const out = scaleDownOld(dep, rs('new', 0, 0), [rs('b', 2, 2, '2026-01-02T00:00:00Z'), rs('a', 2, 2, '2026-01-01T00:00:00Z')])
  t.same([...out], [['a', 0]])
})
