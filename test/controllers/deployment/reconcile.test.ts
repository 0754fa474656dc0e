import t from 'tap'
import type { Deployment, ReplicaSet } from '../../../src/api/types.js'
import { calculateStatus, findNewReplicaSet, newReplicaSetFor, planDeployment } from '../../../src/controllers/deployment/reconcile.js'

const NOW = Date.UTC(2026, 0, 1)
const template = (v: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: v }] } })
const dep = (image = 'v1', replicas = 3, extra: Partial<Deployment['spec']> = {}): Deployment => ({
  metadata: { name: 'web', namespace: 'default', uid: 'd-1', generation: 1 },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template(image), ...extra },
})
const withStatus = (rs: ReplicaSet, replicas: number, available = replicas): ReplicaSet => ({ ...rs, spec: { ...rs.spec, replicas }, status: { replicas, readyReplicas: available, availableReplicas: available } })

t.test('the first sync creates the new ReplicaSet with hash, revision 1 and owner', async (t) => {
  const plan = planDeployment(dep(), [], NOW)
  const rs = plan.create!
  const hash = rs.metadata.labels!['pod-template-hash']!
  t.equal(rs.metadata.name, `web-${hash}`)
  t.same(rs.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': hash })
  t.equal(rs.spec.template!.metadata!.labels!['pod-template-hash'], hash)
  t.equal(rs.spec.replicas, 3)
  t.match(rs.metadata.annotations, { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' })
  t.match(rs.metadata.ownerReferences, [{ kind: 'Deployment', name: 'web', uid: 'd-1', controller: true }])
  t.equal(plan.revision, '1')
  t.match(plan.status.conditions, [{ type: 'Available', status: 'False' }, { type: 'Progressing', reason: 'NewReplicaSetCreated' }])
})

t.test('a template change creates revision 2 within the surge; a complete rollout reports NewReplicaSetAvailable', async (t) => {
  const old = withStatus({ ...newReplicaSetFor(dep('v1'), 3, 1), metadata: { ...newReplicaSetFor(dep('v1'), 3, 1).metadata, creationTimestamp: '2026-01-01T00:00:00Z' } }, 3)
  const plan = planDeployment(dep('v2'), [old], NOW)
  t.equal(plan.revision, '2')
  t.equal(plan.create!.spec.replicas, 1, '3 old + 1 new = replicas + 25% surge (rounded up)')
  t.same(plan.updates, [])
  const fresh = withStatus(newReplicaSetFor(dep('v2'), 3, 2), 3)
  const done = planDeployment(dep('v2'), [withStatus(old, 0, 0), fresh], NOW)
  t.equal(findNewReplicaSet(dep('v2'), [old, fresh]), fresh)
  t.same(done.updates, [])
  t.match(done.status, { replicas: 3, updatedReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, observedGeneration: 1 })
  t.match(done.status.conditions, [{ type: 'Available', status: 'True' }, { type: 'Progressing', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${fresh.metadata.name}" has successfully progressed.` }])
})

t.test('Recreate scales old to zero before the new ones start', async (t) => {
  const d = dep('v2', 2, { strategy: { type: 'Recreate' } })
  const old = withStatus(newReplicaSetFor(dep('v1'), 2, 1), 2)
  const p1 = planDeployment(d, [old], NOW)
  t.same(p1.updates, [{ name: old.metadata.name, replicas: 0 }])
  t.equal(p1.create!.spec.replicas, 0)
  const p2 = planDeployment(d, [withStatus(old, 0, 0), withStatus(newReplicaSetFor(d, 0, 2), 0)], NOW)
  t.match(p2.updates, [{ replicas: 2 }])
})

t.test('old ReplicaSets beyond revisionHistoryLimit are deleted, oldest revision first', async (t) => {
  const d = dep('v9', 1, { revisionHistoryLimit: 1 })
  const olds = ['v1', 'v2', 'v3'].map((v, i) => withStatus(newReplicaSetFor(dep(v), 0, i + 1), 0, 0))
  const cur = withStatus(newReplicaSetFor(d, 1, 4), 1)
  const plan = planDeployment(d, [...olds, cur], NOW)
  t.same(plan.deletes, [olds[0]!.metadata.name, olds[1]!.metadata.name])
})

t.test('status conditions keep their transition time while unchanged', async (t) => {
  const rs = withStatus(newReplicaSetFor(dep(), 3, 1), 3)
  const first = calculateStatus(dep(), rs, [rs], NOW, false)
  const d2 = { ...dep(), status: first }
  const second = calculateStatus(d2, rs, [rs], NOW + 60_000, false)
  t.same(second.conditions, first.conditions)
})

t.test("the new ReplicaSet follows the Deployment's minReadySeconds", async (t) => {
  const rs = withStatus(newReplicaSetFor(dep(), 3, 1), 3)
  t.same(planDeployment(dep(), [rs], NOW).updates, [], 'in step: nothing to do')
  const plan = planDeployment(dep('v1', 3, { minReadySeconds: 10 }), [rs], NOW)
  t.same(plan.updates, [{ name: rs.metadata.name, minReadySeconds: 10 }])
})

t.test('a paused Deployment neither creates nor scales, and reports DeploymentPaused', async (t) => {
  const old = withStatus(newReplicaSetFor(dep('v1'), 3, 1), 3)
  const plan = planDeployment(dep('v2', 3, { paused: true }), [old], NOW)
  t.equal(plan.create, undefined)
  t.same(plan.updates, [])
  t.match(plan.status.conditions, [{ type: 'Available' }, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' }])
})
