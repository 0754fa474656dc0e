import t from 'tap'
import type { Deployment, DeploymentStatus, ReplicaSet, WorkloadCondition } from '../../../src/api/types.js'
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  progressConditions,
  progressDeadlineSeconds,
  setCondition,
} from '../../../src/controllers/deployment/progress.js'

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0)
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const rs: ReplicaSet = { metadata: { name: 'web-abc', namespace: 'default' }, spec: { replicas: 3, selector: {} } }
const progressing = (reason: string, status: WorkloadCondition['status'], at: number): WorkloadCondition => ({ type: 'Progressing', status, reason, message: 'm', lastUpdateTime: iso(at), lastTransitionTime: iso(at) })
const dep = (status?: DeploymentStatus, extra: Partial<Deployment['spec']> = {}): Deployment => ({
  metadata: { name: 'web', namespace: 'default', generation: 2 },
  spec: { replicas: 3, selector: {}, template: { spec: { containers: [] } }, ...extra },
  status,
})
const counts = (updated: number, available: number, replicas = 3): DeploymentStatus => ({ observedGeneration: 2, replicas, updatedReplicas: updated, readyReplicas: available, availableReplicas: available })
const prog = (r: { conditions: WorkloadCondition[] }): WorkloadCondition | undefined => r.conditions.find((c) => c.type === 'Progressing')

t.test('creating or finding the new ReplicaSet sets the upstream reasons and messages', async (t) => {
  const created = progressConditions(dep(), rs, counts(0, 0, 0), 0, T0, true)
  t.match(prog(created), { status: 'True', reason: 'NewReplicaSetCreated', message: 'Created new replica set "web-abc"', lastUpdateTime: iso(T0) })
  t.match(created.conditions[0], { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }, 'Available comes first')
  const found = progressConditions(dep(counts(0, 0, 0)), rs, counts(0, 0, 0), 0, T0, false)
  t.match(prog(found), { status: 'True', reason: 'FoundNewReplicaSet', message: 'Found new replica set "web-abc"' })
})

t.test('progress refreshes lastUpdateTime and keeps lastTransitionTime', async (t) => {
  const before = { ...counts(1, 0), conditions: [progressing('NewReplicaSetCreated', 'True', T0)] }
  const r = progressConditions(dep(before), rs, counts(2, 1), 1, T0 + 100_000, false)
  t.match(prog(r), { status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-abc" is progressing.', lastUpdateTime: iso(T0 + 100_000), lastTransitionTime: iso(T0) })
  t.equal(r.requeueAfterMs, 600_000 + 1, 'deadline counted from the progress just seen')
})

t.test('no progress within progressDeadlineSeconds is ProgressDeadlineExceeded, status False', async (t) => {
  const before = { ...counts(1, 0), conditions: [progressing('ReplicaSetUpdated', 'True', T0)] }
  const early = progressConditions(dep(before, { progressDeadlineSeconds: 60 }), rs, counts(1, 0), 1, T0 + 30_000, false)
  t.match(prog(early), { reason: 'ReplicaSetUpdated', lastUpdateTime: iso(T0) }, 'unchanged before the deadline')
  t.equal(early.requeueAfterMs, 30_001, 'looks again just after the deadline')
  const late = progressConditions(dep(before, { progressDeadlineSeconds: 60 }), rs, counts(1, 0), 1, T0 + 60_001, false)
  t.match(prog(late), { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.', lastTransitionTime: iso(T0 + 60_001) })
  t.equal(late.requeueAfterMs, undefined, 'nothing more to wait for')
  const after = progressConditions(dep({ ...counts(1, 0), conditions: late.conditions }, { progressDeadlineSeconds: 60 }), rs, counts(1, 0), 1, T0 + 90_000, false)
  t.same(prog(after), prog(late), 'a timed-out rollout stays timed out without progress')
  const recovers = progressConditions(dep({ ...counts(1, 0), conditions: late.conditions }, { progressDeadlineSeconds: 60 }), rs, counts(2, 1), 1, T0 + 90_000, false)
  t.match(prog(recovers), { status: 'True', reason: 'ReplicaSetUpdated' }, 'progress after the deadline resumes it')
})

t.test('a complete rollout is NewReplicaSetAvailable and never times out', async (t) => {
  const before = { ...counts(2, 2), conditions: [progressing('ReplicaSetUpdated', 'True', T0)] }
  const done = progressConditions(dep(before), rs, counts(3, 3), 1, T0 + 10_000, false)
  t.match(prog(done), { status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-abc" has successfully progressed.', lastTransitionTime: iso(T0) })
  t.equal(done.requeueAfterMs, undefined)
  const later = progressConditions(dep({ ...counts(3, 3), conditions: done.conditions }), rs, counts(3, 3), 1, T0 + 10_000_000, false)
  t.same(prog(later), prog(done))
})

t.test('paused rollouts report DeploymentPaused and cannot time out; resuming says so', async (t) => {
  const before = { ...counts(1, 0), conditions: [progressing('ReplicaSetUpdated', 'True', T0)] }
  const paused = progressConditions(dep(before, { paused: true, progressDeadlineSeconds: 60 }), rs, counts(1, 0), 1, T0 + 3_600_000, false)
  t.match(prog(paused), { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' })
  t.equal(paused.requeueAfterMs, undefined)
  const resumed = progressConditions(dep({ ...counts(1, 0), conditions: paused.conditions }, { progressDeadlineSeconds: 60 }), rs, counts(1, 0), 1, T0 + 3_700_000, false)
  t.match(prog(resumed), { status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed', lastUpdateTime: iso(T0 + 3_700_000) })
  t.equal(resumed.requeueAfterMs, 60_001, 'the deadline counts again from the resume')
})

t.test('progressDeadlineSeconds = MaxInt32 means no deadline and no Progressing condition', async (t) => {
  const d = dep({ ...counts(0, 0), conditions: [progressing('ReplicaSetUpdated', 'True', T0)] }, { progressDeadlineSeconds: 2147483647 })
  t.equal(progressDeadlineSeconds(d), undefined)
  t.equal(prog(progressConditions(d, rs, counts(1, 0), 1, T0, false)), undefined)
  t.equal(progressDeadlineSeconds(dep()), 600, 'default')
})

t.test('the upstream predicates', async (t) => {
  t.ok(deploymentComplete(dep(), counts(3, 3)))
  t.notOk(deploymentComplete(dep(), { ...counts(3, 3), observedGeneration: 1 }), 'stale status is not complete')
  t.notOk(deploymentComplete(dep(), counts(3, 2)))
  t.ok(deploymentProgressing(counts(1, 1, 4), counts(1, 1, 3)), 'fewer old replicas is progress')
  t.notOk(deploymentProgressing(counts(1, 1), counts(1, 1)))
  t.notOk(deploymentTimedOut(dep(), progressing('NewReplicaSetAvailable', 'True', T0), T0 + 1e9))
  t.ok(deploymentTimedOut(dep(), progressing('ProgressDeadlineExceeded', 'False', T0), T0))
  t.notOk(deploymentTimedOut(dep(), undefined, T0 + 1e9))
  const c = setCondition([progressing('ReplicaSetUpdated', 'True', T0)], progressing('ReplicaSetUpdated', 'True', T0 + 5000))
  t.equal(c[0]!.lastUpdateTime, iso(T0), 'same status and reason: unchanged')
})
