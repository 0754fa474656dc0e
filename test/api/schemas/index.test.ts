import t from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import type { Schema } from '../../../src/api/schema.js'
import { schemaFor } from '../../../src/api/schema.js'
import { SCHEMA_KINDS } from '../../../src/api/schemas/index.js'

/** Follows a dotted path through a schema (`[]` steps into array items). */
function at(kind: string, path: string): Schema {
  let s = schemaFor({ kind })
  for (const step of path.split('.')) {
    if (step === '[]') {
      if (s.type !== 'array') throw new Error(`${kind}.${path}: ${step} is not an array`)
      s = s.items
    } else {
      if (s.type !== 'object') throw new Error(`${kind}.${path}: not an object at ${step}`)
      const next = s.properties?.[step] ?? s.additionalProperties
      if (!next) throw new Error(`${kind}.${path}: no ${step}`)
      s = next
    }
  }
  return s
}

t.test('every served kind, and Scale, has a registered object schema', async (t) => {
  for (const r of RESOURCES) {
    t.ok(SCHEMA_KINDS.includes(r.kind), `${r.kind} listed`)
    const s = schemaFor(r)
    t.equal(s.type, 'object', `${r.kind} registered`)
    t.ok(at(r.kind, 'metadata.labels'), `${r.kind} has metadata`)
  }
  t.equal(schemaFor({ kind: 'Scale' }).type, 'object')
  t.same(at('Scale', 'spec.replicas'), { type: 'integer' })
  t.same(schemaFor({ kind: 'NoSuchKind' }), { type: 'any' })
})

t.test('merge keys follow upstream patchMergeKey tags', async (t) => {
  const cases: [string, string, string][] = [
    ['Pod', 'spec.containers', 'name'],
    ['Pod', 'spec.initContainers', 'name'],
    ['Pod', 'spec.volumes', 'name'],
    ['Pod', 'spec.imagePullSecrets', 'name'],
    ['Pod', 'spec.containers.[].env', 'name'],
    ['Pod', 'spec.containers.[].ports', 'containerPort'],
    ['Pod', 'spec.containers.[].volumeMounts', 'mountPath'],
    ['Pod', 'status.conditions', 'type'],
    ['Pod', 'metadata.ownerReferences', 'uid'],
    ['Service', 'spec.ports', 'port'],
    ['Node', 'status.addresses', 'type'],
    ['Node', 'status.conditions', 'type'],
    ['Deployment', 'spec.template.spec.containers', 'name'],
    ['Deployment', 'status.conditions', 'type'],
    ['DaemonSet', 'spec.template.spec.containers.[].env', 'name'],
    ['Namespace', 'status.conditions', 'type'],
  ]
  for (const [kind, path, key] of cases) {
    const s = at(kind, path)
    t.same(s.type === 'array' && { listType: s.listType, mergeKey: s.mergeKey }, { listType: 'map', mergeKey: key }, `${kind} ${path} merges by ${key}`)
  }
})

t.test('atomic and set lists', async (t) => {
  const cases: [string, string, string][] = [
    ['Pod', 'spec.tolerations', 'atomic'],
    ['Pod', 'spec.containers.[].command', 'atomic'],
    ['Pod', 'metadata.finalizers', 'set'],
    ['EndpointSlice', 'endpoints', 'atomic'],
    ['EndpointSlice', 'ports', 'atomic'],
    ['EndpointSlice', 'endpoints.[].addresses', 'set'],
    ['Node', 'spec.taints', 'atomic'],
    ['Node', 'spec.podCIDRs', 'set'],
    ['Service', 'spec.clusterIPs', 'atomic'],
    ['Service', 'status.loadBalancer.ingress', 'atomic'],
    ['Endpoints', 'subsets', 'atomic'],
  ]
  for (const [kind, path, listType] of cases) {
    const s = at(kind, path)
    t.equal(s.type === 'array' ? s.listType : s.type, listType, `${kind} ${path}`)
  }
})

t.test('retainKeys strategies, maps and int-or-string fields', async (t) => {
  for (const [kind, path] of [
    ['Deployment', 'spec.strategy'],
    ['DaemonSet', 'spec.updateStrategy'],
  ] as const) {
    const s = at(kind, path)
    t.equal(s.type === 'object' && s.retainKeys, true, `${kind} ${path} retainKeys`)
  }
  for (const [kind, path] of [
    ['Pod', 'metadata.labels'],
    ['Pod', 'metadata.annotations'],
    ['Pod', 'spec.nodeSelector'],
    ['Pod', 'spec.containers.[].resources.limits'],
    ['Pod', 'spec.containers.[].resources.requests'],
    ['Service', 'spec.selector'],
    ['Node', 'status.capacity'],
    ['Deployment', 'spec.selector.matchLabels'],
  ] as const) {
    const s = at(kind, path)
    t.ok(s.type === 'object' && s.additionalProperties && !s.properties, `${kind} ${path} is a map`)
  }
  for (const [kind, path] of [
    ['Service', 'spec.ports.[].targetPort'],
    ['Deployment', 'spec.strategy.rollingUpdate.maxSurge'],
    ['Deployment', 'spec.strategy.rollingUpdate.maxUnavailable'],
    ['DaemonSet', 'spec.updateStrategy.rollingUpdate.maxUnavailable'],
    ['Pod', 'spec.containers.[].livenessProbe.httpGet.port'],
  ] as const) {
    t.equal(at(kind, path).type, 'int-or-string', `${kind} ${path}`)
  }
  t.equal(at('Pod', 'metadata.managedFields').type, 'any')
})
