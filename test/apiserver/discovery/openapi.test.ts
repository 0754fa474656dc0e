import t from 'tap'
import { definitionName, openapiHash, openapiV3GroupVersion, openapiV3Root, toOpenAPISchema } from '../../../src/apiserver/discovery/openapi.js'

t.test('root lists every group-version with a stable hash that matches its document', async (t) => {
  const root = openapiV3Root()
  t.same(Object.keys(root.paths), ['api/v1', 'apis/apps/v1', 'apis/discovery.k8s.io/v1', 'apis/coordination.k8s.io/v1'])
  for (const [key, { serverRelativeURL }] of Object.entries(root.paths)) {
    const m = /^\/openapi\/v3\/(.+)\?hash=([0-9A-F]{128})$/.exec(serverRelativeURL)
    t.ok(m, serverRelativeURL)
    t.equal(m![1], key)
    t.equal(m![2], openapiHash(openapiV3GroupVersion(key)))
  }
  t.same(openapiV3Root(), root, 'stable across calls')
})

// What kubectl's queryParamVerifierV3 (cli-runtime resource/query_param_verifier_v3.go) checks.
function hasFieldValidationPatch(doc: ReturnType<typeof openapiV3GroupVersion>, gvk: { group: string; version: string; kind: string }): boolean {
  return Object.values(doc!.paths).some((p) => {
    const patch = p.patch as { 'x-kubernetes-group-version-kind'?: unknown; parameters?: { name: string }[]; requestBody?: unknown } | undefined
    return (
      patch !== undefined &&
      JSON.stringify(patch['x-kubernetes-group-version-kind']) === JSON.stringify(gvk) &&
      (patch.parameters ?? []).some((x) => x.name === 'fieldValidation') &&
      patch.requestBody === undefined
    )
  })
}

t.test('every kind has a PATCH with its GVK and fieldValidation (kubectl-surface §3.8)', async (t) => {
  const kinds: [string, string, string][] = [
    ['api/v1', '', 'Pod'],
    ['api/v1', '', 'Service'],
    ['api/v1', '', 'Namespace'],
    ['api/v1', '', 'Node'],
    ['api/v1', '', 'Endpoints'],
    ['api/v1', '', 'Event'],
    ['apis/apps/v1', 'apps', 'Deployment'],
    ['apis/apps/v1', 'apps', 'ReplicaSet'],
    ['apis/apps/v1', 'apps', 'DaemonSet'],
    ['apis/discovery.k8s.io/v1', 'discovery.k8s.io', 'EndpointSlice'],
    ['apis/coordination.k8s.io/v1', 'coordination.k8s.io', 'Lease'],
  ]
  for (const [path, group, kind] of kinds) t.ok(hasFieldValidationPatch(openapiV3GroupVersion(path), { group, version: 'v1', kind }), kind)
})

t.test('a group-version document: paths, info, component schemas tagged with GVK', async (t) => {
  const doc = openapiV3GroupVersion('/openapi/v3/apis/apps/v1/')!
  t.equal(doc.openapi, '3.0.0')
  t.equal(doc.info.title, 'Kubernetes')
  t.ok(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'])
  t.ok(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'])
  const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!.patch as Record<string, unknown>
  t.same(scale['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' })
  const dep = doc.components.schemas['io.k8s.api.apps.v1.Deployment'] as Record<string, unknown>
  t.same(dep['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }])
  t.ok(doc.components.schemas['io.k8s.api.autoscaling.v1.Scale'])
  const core = openapiV3GroupVersion('api/v1')!
  t.ok(core.paths['/api/v1/nodes/{name}'], 'cluster-scoped paths have no namespace')
  t.ok(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'])
  t.notOk(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'])
  t.equal((core.paths['/api/v1/namespaces/{namespace}/pods/{name}']!.patch as { operationId: string }).operationId, 'patchCoreV1NamespacedPod')
  t.equal(openapiV3GroupVersion('apis/batch/v1'), undefined)
})

t.test('toOpenAPISchema carries merge metadata', async (t) => {
  t.same(toOpenAPISchema({ type: 'array', listType: 'map', mergeKey: 'port', items: { type: 'integer' } }), {
    type: 'array',
    items: { type: 'integer' },
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['port'],
    'x-kubernetes-patch-merge-key': 'port',
    'x-kubernetes-patch-strategy': 'merge',
  })
  t.same(toOpenAPISchema({ type: 'array', listType: 'set', items: { type: 'string' } }), {
    type: 'array',
    items: { type: 'string' },
    'x-kubernetes-list-type': 'set',
    'x-kubernetes-patch-strategy': 'merge',
  })
  t.same(toOpenAPISchema({ type: 'object', retainKeys: true, properties: { type: { type: 'string' } }, additionalProperties: { type: 'any' } }), {
    type: 'object',
    properties: { type: { type: 'string' } },
    additionalProperties: { 'x-kubernetes-preserve-unknown-fields': true },
    'x-kubernetes-patch-strategy': 'retainKeys',
  })
  t.same(toOpenAPISchema({ type: 'int-or-string' }), { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] })
  t.equal(definitionName({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' }), 'io.k8s.api.discovery.v1.EndpointSlice')
})
