import t from 'tap'
import { desiredNode, KUBELET_SCHEME_ANNOTATION, nodeStatus, type NodeInfoOptions } from '../../src/kubelet/node-status.js'

const o: NodeInfoOptions = { nodeName: 'n1', nodeIP: '192.168.56.11', podCidr: '10.244.1.0/24', kubeletPort: 10250, kubeletScheme: 'http', capacity: { cpu: '2', memory: '4Gi', pods: '50' }, podNetwork: 'netns', kernelVersion: '6.1', architecture: 'amd64' }

t.test('desiredNode: labels, pod CIDR, scheme annotation, capacity = allocatable, kubelet port', async (t) => {
  const n = desiredNode(o, '2026-01-01T00:00:00Z')
  t.match(n.metadata.labels, { 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', 'kplab.io/pod-network': 'netns' })
  t.equal(n.metadata.annotations?.[KUBELET_SCHEME_ANNOTATION], 'http')
  t.same(n.spec, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] })
  t.same(n.status?.allocatable, o.capacity)
  t.same(n.status?.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } })
  t.same(n.status?.addresses, [{ type: 'InternalIP', address: '192.168.56.11' }, { type: 'Hostname', address: 'n1' }])
})

t.test('nodeStatus: heartbeat moves every time, transition time only on change', async (t) => {
  const first = nodeStatus(o, undefined, '2026-01-01T00:00:00Z')
  const second = nodeStatus(o, first.conditions, '2026-01-01T00:00:10Z')
  const ready = second.conditions!.find((c) => c.type === 'Ready')!
  t.same([ready.status, ready.reason, ready.message], ['True', 'KubeletReady', 'kubelet is posting ready status'])
  t.equal(ready.lastHeartbeatTime, '2026-01-01T00:00:10Z')
  t.equal(ready.lastTransitionTime, '2026-01-01T00:00:00Z')
})
