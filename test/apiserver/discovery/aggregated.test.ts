import t from 'tap'
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery, wantsAggregated } from '../../../src/apiserver/discovery/aggregated.js'

const KUBECTL_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'

t.test('content type and Accept negotiation', async (t) => {
  t.equal(AGGREGATED_DISCOVERY_CONTENT_TYPE, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
  t.ok(wantsAggregated(KUBECTL_ACCEPT))
  t.ok(wantsAggregated('application/json; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList'))
  t.notOk(wantsAggregated('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'))
  t.notOk(wantsAggregated('application/json, */*'))
  t.notOk(wantsAggregated(undefined))
})

t.test('/api: the core group with pods as kubectl-surface §3.2 shows it', async (t) => {
  const doc = aggregatedDiscovery('api')
  t.equal(doc.kind, 'APIGroupDiscoveryList')
  t.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2')
  t.same(doc.metadata, {})
  t.equal(doc.items.length, 1)
  t.equal(doc.items[0]!.metadata.name, '')
  const v1 = doc.items[0]!.versions[0]!
  t.equal(v1.version, 'v1')
  t.equal(v1.freshness, 'Current')
  const pods = v1.resources.find((r) => r.resource === 'pods')!
  t.same(pods.responseKind, { group: '', version: 'v1', kind: 'Pod' })
  t.equal(pods.scope, 'Namespaced')
  t.equal(pods.singularResource, 'pod')
  t.same(pods.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'])
  t.same(pods.shortNames, ['po'])
  t.same(pods.categories, ['all'])
  t.same(pods.subresources, [
    { subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
    { subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
    { subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
  ])
  const nodes = v1.resources.find((r) => r.resource === 'nodes')!
  t.equal(nodes.scope, 'Cluster')
  t.same(nodes.shortNames, ['no'])
  t.notOk('categories' in nodes, 'empty categories are left out')
  const ns = v1.resources.find((r) => r.resource === 'namespaces')!
  t.notOk(ns.verbs.includes('deletecollection'))
  const ep = v1.resources.find((r) => r.resource === 'endpoints')!
  t.notOk('subresources' in ep)
})

t.test('/apis: named groups; scale answers autoscaling/v1 Scale', async (t) => {
  const doc = aggregatedDiscovery('apis')
  t.same(
    doc.items.map((g) => g.metadata.name),
    ['apps', 'discovery.k8s.io', 'coordination.k8s.io'],
  )
  const apps = doc.items[0]!.versions[0]!
  const deploy = apps.resources.find((r) => r.resource === 'deployments')!
  t.same(deploy.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' })
  t.same(deploy.shortNames, ['deploy'])
  t.same(deploy.subresources?.find((s) => s.subresource === 'scale'), {
    subresource: 'scale',
    responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    verbs: ['get', 'patch', 'update'],
  })
  const rs = apps.resources.find((r) => r.resource === 'replicasets')!
  t.same(rs.subresources?.find((s) => s.subresource === 'scale')?.responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' })
  // kubectl-surface §6.2: the short names and the `all` category kubectl relies on
  const all = [...aggregatedDiscovery('api').items, ...doc.items].flatMap((g) => g.versions.flatMap((v) => v.resources))
  for (const [res, short] of [['pods', 'po'], ['services', 'svc'], ['deployments', 'deploy'], ['replicasets', 'rs'], ['daemonsets', 'ds'], ['nodes', 'no'], ['namespaces', 'ns'], ['events', 'ev'], ['endpoints', 'ep']] as const) {
    t.ok(all.find((r) => r.resource === res)?.shortNames?.includes(short), `${res} has ${short}`)
  }
  t.same(all.filter((r) => r.categories?.includes('all')).map((r) => r.resource).sort(), ['daemonsets', 'deployments', 'pods', 'replicasets', 'services'])
})
