import t from 'tap'
import type { DaemonSet, Node, Pod } from '../../../src/api/types.js'
import { daemonPodNode, daemonPodSpec, planDaemonSet, shouldRunOnNode } from '../../../src/controllers/daemonset/compute.js'

const ds: DaemonSet = {
  metadata: { name: 'agent', namespace: 'kube-system', generation: 1 },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { os: 'linux' }, containers: [] } } },
}
const node = (name: string, labels: Record<string, string> = { os: 'linux' }, taints: Node['spec'] = {}): Node => ({ metadata: { name, labels }, spec: taints })
const pod = (name: string, nodeName: string, ready = true): Pod => ({
  metadata: { name, namespace: 'kube-system', creationTimestamp: `2026-01-01T00:00:0${name.length}Z` },
  spec: { containers: [], nodeName },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
})

t.test('eligibility: selector and taints, with the daemon tolerations added', async (t) => {
  t.ok(shouldRunOnNode(ds, node('a')))
  t.notOk(shouldRunOnNode(ds, node('b', { os: 'windows' })))
  t.notOk(shouldRunOnNode(ds, node('c', { os: 'linux' }, { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] })))
  t.ok(shouldRunOnNode(ds, node('d', { os: 'linux' }, { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] })), 'daemons tolerate unreachable')
})

t.test('the pod is pinned by node affinity, and found by it while pending', async (t) => {
  const spec = daemonPodSpec(ds, 'n1')
  t.same(spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }])
  t.equal(daemonPodNode({ metadata: { name: 'p' }, spec }), 'n1')
})

t.test('plan: create on uncovered nodes, drop duplicates and misplaced pods, count status', async (t) => {
  const nodes = [node('n1'), node('n2'), node('n3'), node('win', { os: 'windows' })]
  const pods = [pod('a', 'n1'), pod('bb', 'n1'), pod('c', 'n2', false), pod('d', 'win'), pod('e', 'gone')]
  const plan = planDaemonSet(ds, nodes, pods, Date.UTC(2026, 0, 1))
  t.same(plan.createOn, ['n3'])
  t.same(plan.remove.map((p) => p.metadata.name).sort(), ['bb', 'd', 'e'])
  t.same(plan.status, { currentNumberScheduled: 2, numberMisscheduled: 1, desiredNumberScheduled: 3, numberReady: 1, numberAvailable: 1, numberUnavailable: 2, updatedNumberScheduled: 0, observedGeneration: 1 }, 'unlabelled pods are not updated')
})

t.test('plan: a template change rolls one node at a time once every node has its pod', async (t) => {
  const nodes = [node('n1'), node('n2')]
  const labelled = (p: Pod, hash: string): Pod => ({ ...p, metadata: { ...p.metadata, labels: { 'controller-revision-hash': hash } } })
  const cur = planDaemonSet(ds, nodes, [], Date.UTC(2026, 0, 1)).hash
  const pods = [labelled(pod('a', 'n1'), cur), labelled(pod('b', 'n2'), cur)]
  const steady = planDaemonSet(ds, nodes, pods, Date.UTC(2026, 0, 1))
  t.same(steady.remove, [], 'current pods stay')
  t.equal(steady.status.updatedNumberScheduled, 2)
  const changed: DaemonSet = { ...ds, metadata: { ...ds.metadata, generation: 2 }, spec: { ...ds.spec, template: { ...ds.spec.template, metadata: { labels: { app: 'agent', v: '2' } } } } }
  const rolling = planDaemonSet(changed, nodes, pods, Date.UTC(2026, 0, 1))
  t.not(rolling.hash, cur)
  t.same(rolling.remove.map((p) => p.metadata.name), ['a'], 'maxUnavailable 1: one node first')
  t.match(rolling.status, { updatedNumberScheduled: 0, observedGeneration: 2 })
  const uncovered = planDaemonSet(changed, [...nodes, node('n3')], pods, Date.UTC(2026, 0, 1))
  t.same(uncovered.remove, [], 'no replacement while a node still waits for its first pod')
})
