import t from 'tap'
import type { Pod, Taint } from '../../src/api/types.js'
import { seededRng } from '../../src/base/rng.js'
import { NodeInfo, podInfo } from '../../src/scheduler/node-info.js'
import { fitErrorMessage, numFeasibleNodesToFind, schedulePod, selectHost } from '../../src/scheduler/schedule.js'

const node = (name: string, o: { labels?: Record<string, string>; cpu?: string; ready?: boolean; taints?: Taint[]; unschedulable?: boolean } = {}): NodeInfo =>
  new NodeInfo({
    metadata: { name, uid: name, labels: o.labels ?? {} },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: { allocatable: { cpu: o.cpu ?? '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  })

const pod = (spec: Partial<Pod['spec']> = {}, cpu?: string): Pod => ({
  metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-1', controller: true }] },
  spec: { containers: [{ name: 'c', resources: cpu ? { requests: { cpu } } : undefined }], ...spec },
})

t.test('unschedulable messages, exactly as upstream words and sorts them', async (t) => {
  const cases: { name: string; pod: Pod; nodes: NodeInfo[]; want: string }[] = [
    {
      name: 'the issue example',
      pod: pod({ nodeSelector: { zone: 'a' } }, '8'),
      nodes: [node('n1', { labels: { zone: 'a' } }), node('n2', { labels: { zone: 'b' } }), node('n3')],
      want: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.",
    },
    {
      name: 'taints, readiness and cordons',
      pod: pod(),
      nodes: [node('n1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), node('n2', { ready: false }), node('n3', { unschedulable: true })],
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were not ready, 1 node(s) were unschedulable.',
    },
    {
      name: 'counts sort as strings (10 before 2)',
      pod: pod({ nodeSelector: { zone: 'a' } }, '8'),
      nodes: [...Array.from({ length: 10 }, (_, i) => node(`a${i}`, { labels: { zone: 'a' } })), node('b1'), node('b2')],
      want: "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.",
    },
    { name: 'no nodes', pod: pod(), nodes: [], want: 'no nodes available to schedule pods' },
  ]
  for (const c of cases) {
    const r = schedulePod(podInfo(c.pod), c.nodes)
    t.same('unschedulable' in r ? r.unschedulable : r, c.want, c.name)
  }
})

t.test('host ports conflict on the same protocol and port', async (t) => {
  const busy = node('n1')
  busy.addPod(podInfo({ metadata: { name: 'x', namespace: 'd' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] } }))
  const p = podInfo({ metadata: { name: 'y', namespace: 'd' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] } })
  t.same(schedulePod(p, [busy]), { unschedulable: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.", reasons: { "node(s) didn't have free ports for the requested pod ports": 1 } })
  const udp = podInfo({ metadata: { name: 'z', namespace: 'd' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }] }] } })
  t.match(schedulePod(udp, [busy]), { node: 'n1' }, 'UDP does not clash with TCP')
})

t.test('required node affinity and tolerations admit a node', async (t) => {
  const p = pod({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }],
  })
  const r = schedulePod(podInfo(p), [node('hdd', { labels: { disk: 'hdd' } }), node('ssd', { labels: { disk: 'ssd' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })])
  t.match(r, { node: 'ssd', feasible: 1 })
})

t.test('scores prefer the emptier node and spread one owner', async (t) => {
  const full = node('full')
  full.addPod(podInfo({ metadata: { name: 'a', namespace: 'd' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '3', memory: '6Gi' } } }] } }))
  t.match(schedulePod(podInfo(pod({}, '100m')), [full, node('empty')]), { node: 'empty', feasible: 2 })
  const n1 = node('n1')
  const n2 = node('n2')
  n1.addPod(podInfo({ ...pod(), metadata: { ...pod().metadata, name: 'sibling' } }))
  t.match(schedulePod(podInfo(pod()), [n1, n2]), { node: 'n2' }, 'sibling already on n1')
})

t.test('numFeasibleNodesToFind follows upstream', async (t) => {
  t.equal(numFeasibleNodesToFind(50), 50)
  t.equal(numFeasibleNodesToFind(1000), 420, '50 - 1000/125 = 42%')
  t.equal(numFeasibleNodesToFind(5000), 500, '10%')
  t.equal(numFeasibleNodesToFind(200, 10), 100, 'never below 100')
  t.equal(numFeasibleNodesToFind(1000, 100), 1000)
})

t.test('selectHost breaks ties with the rng, deterministically per seed', async (t) => {
  t.equal(selectHost([1, 5, 3]), 1)
  t.equal(selectHost([5, 5, 5]), 0, 'no rng: first best')
  const picks = new Set(Array.from({ length: 50 }, (_, i) => selectHost([5, 5, 5], seededRng(i))))
  t.same([...picks].sort(), [0, 1, 2], 'every tied node can win')
  t.equal(fitErrorMessage(2, { b: 1, a: 1 }), '0/2 nodes are available: 1 a, 1 b.')
})

t.test('PreFilter/PreScore skip: a skipped plugin is never called per node', async (t) => {
  let calls = 0
  const counting = { name: 'Counting', skip: () => true, filter: () => (calls++, ['never']) }
  const scoring = { name: 'CountingScore', weight: 1, skip: () => true, score: () => (calls++, 0) }
  const r = schedulePod(podInfo(pod()), [node('n1'), node('n2')], { profile: { filters: [counting], scores: [scoring] } })
  t.match(r, { feasible: 2 })
  t.equal(calls, 0)
  const strict = { ...counting, skip: () => false }
  t.match(schedulePod(podInfo(pod()), [node('n1')], { profile: { filters: [strict], scores: [] } }), { unschedulable: '0/1 nodes are available: 1 never.' }, 'not skipped: it filters')
})
