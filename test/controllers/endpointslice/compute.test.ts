import t from 'tap'
import type { EndpointSlice, Pod, Service } from '../../../src/api/types.js'
import { desiredEndpoints, desiredSlices, planSlices, resolveTargetPort } from '../../../src/controllers/endpointslice/compute.js'

const svc: Service = {
  metadata: { name: 'web', namespace: 'd', uid: 's-1', labels: { team: 'a' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9100 }] },
}
const pod = (name: string, ip: string | undefined, o: { ready?: boolean; deleting?: boolean; port?: number; node?: string } = {}): Pod => ({
  metadata: { name, namespace: 'd', uid: `u-${name}`, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: o.node ?? 'n1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: o.port ?? 8080 }] }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
})

t.test('targetPort: numbers, names resolved per pod, defaulting to the port', async (t) => {
  t.equal(resolveTargetPort(pod('a', '1.1.1.1'), 'http', 80, 'TCP'), 8080)
  t.equal(resolveTargetPort(pod('a', '1.1.1.1'), 'http', 80, 'UDP'), undefined, 'protocol must match')
  t.equal(resolveTargetPort(pod('a', '1.1.1.1'), 'nope', 80, 'TCP'), undefined)
  t.equal(resolveTargetPort(pod('a', '1.1.1.1'), 9000, 80, 'TCP'), 9000)
  t.equal(resolveTargetPort(pod('a', '1.1.1.1'), undefined, 80, 'TCP'), 80)
})

t.test('slices: conditions, labels, owner, ports grouped, at most N endpoints each', async (t) => {
  const pods = [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { ready: false }), pod('c', '10.0.0.3', { deleting: true }), pod('d', undefined), pod('e', '10.0.0.5', { port: 8081 })]
  const slices = desiredSlices(svc, pods)
  t.equal(slices.length, 2, 'pods with a different named port get their own slice')
  const [s1, s2] = slices as [EndpointSlice, EndpointSlice]
  t.same(s1.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }])
  t.same(s1.endpoints.map((e) => [e.addresses[0], e.conditions]), [
    ['10.0.0.1', { ready: true, serving: true, terminating: false }],
    ['10.0.0.2', { ready: false, serving: false, terminating: false }],
    ['10.0.0.3', { ready: false, serving: true, terminating: true }],
  ])
  t.same(s1.endpoints[0]!.targetRef, { kind: 'Pod', namespace: 'd', name: 'a', uid: 'u-a' })
  t.equal(s1.endpoints[0]!.nodeName, 'n1')
  t.same(s1.metadata.labels, { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' })
  t.match(s1.metadata.ownerReferences, [{ kind: 'Service', name: 'web', uid: 's-1', controller: true }])
  t.equal(s2.ports![0]!.port, 8081)
  const many = Array.from({ length: 250 }, (_, i) => pod(`p${String(i).padStart(3, '0')}`, `10.1.${i >> 8}.${i & 255}`))
  t.same(desiredSlices(svc, many).map((s) => s.endpoints.length), [100, 100, 50])
  t.same(desiredSlices(svc, []).map((s) => s.endpoints.length), [0], 'an empty placeholder slice')
})

t.test('planSlices leaves identical slices alone and reuses the rest', async (t) => {
  const want = desiredSlices(svc, [pod('a', '10.0.0.1')])
  const same = { ...want[0]!, metadata: { ...want[0]!.metadata, name: 'web-1' } }
  t.same(planSlices(want, [same]), { create: [], update: [], delete: [] })
  const stale = { ...same, endpoints: [] }
  const extra = { ...same, metadata: { ...same.metadata, name: 'web-2' } }
  // web-2 already holds the wanted content: it stays untouched and the stale web-1 goes.
  const plan = planSlices(want, [stale, extra])
  t.same(plan.update, [])
  t.same(plan.delete.map((s) => s.metadata.name), ['web-1'])
  const reuse = planSlices(want, [stale])
  t.same(reuse.update.map((s) => [s.metadata.name, s.endpoints.length]), [['web-1', 1]], 'a stale slice is rewritten rather than replaced')
  t.same(planSlices(want, []).create.length, 1)
})

t.test('legacy Endpoints: ready and not-ready addresses sorted by IP, terminating left out', async (t) => {
  const ep = desiredEndpoints(svc, [pod('b', '10.0.0.9'), pod('a', '10.0.0.10'), pod('c', '10.0.0.3', { ready: false }), pod('x', '10.0.0.4', { deleting: true })])
  t.same(ep.subsets, [
    {
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }],
      addresses: [
        { ip: '10.0.0.10', targetRef: { kind: 'Pod', namespace: 'd', name: 'a', uid: 'u-a' }, nodeName: 'n1' },
        { ip: '10.0.0.9', targetRef: { kind: 'Pod', namespace: 'd', name: 'b', uid: 'u-b' }, nodeName: 'n1' },
      ],
      notReadyAddresses: [{ ip: '10.0.0.3', targetRef: { kind: 'Pod', namespace: 'd', name: 'c', uid: 'u-c' }, nodeName: 'n1' }],
    },
  ])
  t.equal(ep.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'], 'true')
})
