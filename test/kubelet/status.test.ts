import t from 'tap'
import type { Pod } from '../../src/api/types.js'
import { computePodStatus, podPhase, qosClass, type ContainerView } from '../../src/kubelet/status.js'

const running = (name: string, ready: boolean): ContainerView => ({ name, image: 'kplab/echo', state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, restartCount: 0, ready, pid: 42 })
const pod = (restartPolicy?: 'Always' | 'OnFailure' | 'Never'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { restartPolicy, containers: [{ name: 'main', image: 'kplab/echo' }] },
  status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z' }, { type: 'Ready', status: 'False', lastTransitionTime: '2025-12-31T00:00:00Z' }] },
})

t.test('podPhase follows upstream getPhase', async (t) => {
  const waiting: ContainerView = { name: 'a', image: 'x', state: { waiting: { reason: 'ErrImagePull' } }, restartCount: 0, ready: false }
  const crashLoop: ContainerView = { ...waiting, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: 'x' } } }
  const done = (code: number): ContainerView => ({ name: 'a', image: 'x', state: { terminated: { exitCode: code, reason: code ? 'Error' : 'Completed', finishedAt: 'x' } }, restartCount: 0, ready: false })
  t.equal(podPhase('Always', [waiting]), 'Pending')
  t.equal(podPhase('Always', [running('a', true)]), 'Running')
  t.equal(podPhase('Always', [crashLoop]), 'Running', 'a crash-looping container has run: the pod runs')
  t.equal(podPhase('Never', [done(0)]), 'Succeeded')
  t.equal(podPhase('Never', [done(1)]), 'Failed')
  t.equal(podPhase('OnFailure', [done(0)]), 'Succeeded')
})

t.test('conditions, IPs and container statuses; transition times move only on change', async (t) => {
  const now = '2026-01-01T00:01:00Z'
  const s = computePodStatus(pod(), { containers: [running('main', true)], podIP: '127.244.1.2', hostIP: '127.0.0.1', startTime: '2026-01-01T00:00:00Z', now })
  t.equal(s.phase, 'Running')
  t.same(s.podIPs, [{ ip: '127.244.1.2' }])
  t.same(s.hostIPs, [{ ip: '127.0.0.1' }])
  const ready = s.conditions!.find((c) => c.type === 'Ready')!
  t.equal(ready.status, 'True')
  t.equal(ready.lastTransitionTime, now, 'False → True moved the transition time')
  t.equal(s.conditions!.find((c) => c.type === 'PodScheduled')!.lastTransitionTime, '2025-12-31T00:00:00Z', 'the scheduler’s condition is kept')
  t.equal(s.containerStatuses![0]!.containerID, 'kplab://42')
  t.equal(s.containerStatuses![0]!.started, true)
  t.equal(s.qosClass, 'BestEffort')
  const s2 = computePodStatus({ ...pod(), status: s }, { containers: [running('main', false)], podIP: '127.244.1.2', hostIP: '127.0.0.1', startTime: s.startTime!, now: '2026-01-01T00:02:00Z' })
  const notReady = s2.conditions!.find((c) => c.type === 'Ready')!
  t.same([notReady.status, notReady.reason, notReady.message], ['False', 'ContainersNotReady', 'containers with unready status: [main]'])
  const s3 = computePodStatus({ ...pod(), status: s2 }, { containers: [running('main', false)], podIP: '127.244.1.2', hostIP: '127.0.0.1', startTime: s.startTime!, now: '2026-01-01T00:03:00Z' })
  t.equal(s3.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, '2026-01-01T00:02:00Z', 'unchanged status keeps its time')
})

t.test('qosClass', async (t) => {
  const p = pod()
  p.spec.containers[0]!.resources = { limits: { cpu: '1', memory: '1Gi' } }
  t.equal(qosClass(p), 'Guaranteed')
  p.spec.containers[0]!.resources = { requests: { cpu: '100m' } }
  t.equal(qosClass(p), 'Burstable')
})
