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
  t.same(plan.status, { currentNumberScheduled: 2, numberMisscheduled: 1, desiredNumberScheduled: 3, numberReady: 1, numberAvailable: 1, numberUnavailable: 2, updatedNumberScheduled: 2, observedGeneration: 1 })
})
