import t from 'tap'
import { applyDefaults } from '../../../src/api/defaults.js'
import { deepClone } from '../../../src/api/object.js'
import { validateEvent, validateLease, validateNamespace, validateNode } from '../../../src/api/validation/cluster.js'
import { event, lease, lines, matchExactly, namespace, node, res } from '../fixtures.js'

t.test('Namespace', async (t) => {
  const ns = namespace()
  applyDefaults(res('Namespace'), ns)
  t.same(validateNamespace(ns), [])
  const cases: [string, (o: any) => void, (string | RegExp)[]][] = [
    ['name is a label', (o) => (o.metadata.name = 'team.a'), [/^metadata.name: Invalid value: "team.a": a lowercase RFC 1123 label must consist of/]],
    ['no namespace of its own', (o) => (o.metadata.namespace = 'default'), ['metadata.namespace: Forbidden: not allowed on this type']],
    ['phase', (o) => (o.status.phase = 'Gone'), ['status.phase: Unsupported value: "Gone": supported values: "Active", "Terminating"']],
    ['finalizers', (o) => (o.spec = { finalizers: ['kubernetes', 'a b'] }), [/^spec.finalizers\[1\]: Invalid value: "a b"/]],
  ]
  for (const [name, mutate, want] of cases) {
    const o = deepClone(ns)
    mutate(o)
    matchExactly(t, lines(validateNamespace(o)), want, name)
  }
})

t.test('Node', async (t) => {
  t.same(validateNode(node()), [])
  const cases: [string, (o: any) => void, (string | RegExp)[]][] = [
    ['podCIDR', (o) => (o.spec.podCIDR = o.spec.podCIDRs[0] = '10.244.1.0/40'), [
      'spec.podCIDR: Invalid value: "10.244.1.0/40": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      'spec.podCIDRs[0]: Invalid value: "10.244.1.0/40": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]],
    ['podCIDRs[0] must match podCIDR', (o) => (o.spec.podCIDRs = ['10.244.2.0/24']), [/^spec.podCIDRs: Invalid value: \["10.244.2.0\/24"\]: first value must match `podCIDR`$/]],
    ['taint effect', (o) => (o.spec.taints[0].effect = 'Evict'), ['spec.taints[0].effect: Unsupported value: "Evict": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"']],
    ['taint effect required', (o) => delete o.spec.taints[0].effect, ['spec.taints[0].effect: Required value']],
    ['duplicate taint', (o) => o.spec.taints.push({ ...o.spec.taints[0], value: 'x' }), [/^spec.taints\[1\]: Duplicate value: \{"key":"node-role.kubernetes.io\/control-plane","effect":"NoSchedule"\}$/]],
    ['address type', (o) => (o.status.addresses[0].type = 'PodIP'), [/^status.addresses\[0\].type: Unsupported value: "PodIP": supported values: "ExternalDNS"/]],
    ['namespaced', (o) => (o.metadata.namespace = 'default'), ['metadata.namespace: Forbidden: not allowed on this type']],
  ]
  for (const [name, mutate, want] of cases) {
    const o = node()
    mutate(o)
    matchExactly(t, lines(validateNode(o)), want, name)
  }
  const old = node()
  const assigned = deepClone(old) as any
  assigned.spec.unschedulable = true
  t.same(validateNode(assigned, old), [])
  const reassigned = deepClone(old) as any
  reassigned.spec.podCIDR = reassigned.spec.podCIDRs[0] = '10.244.9.0/24'
  t.same(lines(validateNode(reassigned, old)), ['spec.podCIDR: Forbidden: node updates may not change podCIDR except from "" to valid'])
  const fresh = { metadata: { name: 'node-2' } }
  t.same(validateNode({ ...fresh, spec: { podCIDR: '10.244.2.0/24' } }, fresh), [], 'podCIDR may be set once')
})

t.test('Event', async (t) => {
  t.same(validateEvent(event()), [])
  const cases: [string, (o: any) => void, string[]][] = [
    ['involvedObject namespace', (o) => (o.involvedObject.namespace = 'kube-system'), ['involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace']],
    ['involvedObject required', (o) => delete o.involvedObject, ['involvedObject: Required value']],
    ['type', (o) => (o.type = 'Error'), ['type: Unsupported value: "Error": supported values: "Normal", "Warning"']],
    ['count', (o) => (o.count = -1), ['count: Invalid value: -1: must be greater than or equal to 0']],
    ['reason length', (o) => (o.reason = 'r'.repeat(129)), ['reason: Too long: may not be more than 128 bytes']],
  ]
  for (const [name, mutate, want] of cases) {
    const o = event()
    mutate(o)
    t.same(lines(validateEvent(o)), want, name)
  }
  const clusterScoped = event() as any
  clusterScoped.involvedObject = { kind: 'Node', name: 'node-1' }
  t.same(validateEvent(clusterScoped), [], 'events about cluster-scoped objects')
})

t.test('Lease', async (t) => {
  t.same(validateLease(lease()), [])
  const bad = lease() as any
  bad.spec.leaseDurationSeconds = 0
  bad.spec.leaseTransitions = -1
  t.same(lines(validateLease(bad)), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ])
  const old = lease()
  const renewed = deepClone(old) as any
  renewed.spec.renewTime = '2026-01-01T00:00:10.000000Z'
  t.same(validateLease(renewed, old), [])
})
