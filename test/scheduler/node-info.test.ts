import t from 'tap'
import type { Node, Pod } from '../../src/api/types.js'
import { NodeInfo, podInfo } from '../../src/scheduler/node-info.js'

const node = (o: { ready?: boolean; unschedulable?: boolean; cpu?: string } = {}): Node => ({
  metadata: { name: 'n1', uid: 'u1' },
  spec: { unschedulable: o.unschedulable, taints: [{ key: 'soft', effect: 'PreferNoSchedule' }, { key: 'hard', value: 'x', effect: 'NoExecute' }] },
  status: { allocatable: { cpu: o.cpu ?? '2', memory: '1Gi', pods: '10' }, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
})
const pod = (name: string, cpu: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name, namespace: 'd', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-1', controller: true }] },
  spec: { containers: [{ name: 'c', resources: { requests: { cpu } }, ports: [{ containerPort: 80, hostPort: 8080 }] }], ...extra },
})

t.test('what the filters ask of the Node is derived once, and again on every update', async (t) => {
  const ni = new NodeInfo(node())
  t.equal(ni.ready, true)
  t.equal(ni.unschedulable, false)
  t.same(ni.blockingTaints, [{ key: 'hard', value: 'x', effect: 'NoExecute' }], 'PreferNoSchedule is not blocking')
  t.same(ni.allocatable, { milliCPU: 2000, memory: 1024 ** 3, pods: 10 })
  ni.addPod(podInfo(pod('a', '500m')))
  ni.setNode(node({ ready: false, unschedulable: true, cpu: '4' }))
  t.equal(ni.ready, false)
  t.equal(ni.unschedulable, true)
  t.equal(ni.allocatable.milliCPU, 4000)
  t.equal(ni.pods.size, 1, 'an update keeps the pods counted on the node')
  t.equal(ni.requested.milliCPU, 500)
})

t.test('pods add and remove their requests, ports and owner counts; adding twice is a no-op', async (t) => {
  const ni = new NodeInfo(node())
  ni.addPod(podInfo(pod('a', '500m')))
  ni.addPod(podInfo(pod('a', '500m')))
  ni.addPod(podInfo(pod('b', '250m')))
  t.match(ni.requested, { milliCPU: 750, pods: 2 })
  t.equal(ni.ownerCounts.get('rs-1'), 2)
  t.equal(ni.usedPorts.length, 2)
  ni.removePod('d/a')
  ni.removePod('d/unknown')
  t.match(ni.requested, { milliCPU: 250, pods: 1 })
  t.equal(ni.ownerCounts.get('rs-1'), 1)
  t.equal(ni.usedPorts.length, 1)
})

t.test('podInfo marks pods without node constraints, so NodeAffinity can skip them', async (t) => {
  t.equal(podInfo(pod('a', '1')).hasNodeConstraints, false)
  t.equal(podInfo(pod('a', '1', { nodeSelector: { zone: 'a' } })).hasNodeConstraints, true)
  t.equal(podInfo(pod('a', '1', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } })).hasNodeConstraints, true)
})
