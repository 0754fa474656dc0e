import t from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import { responseKindOf, servedGroupVersions, subresourcesOf, verbsFor } from '../../../src/apiserver/discovery/resources.js'

const res = (kind: string) => RESOURCES.find((r) => r.kind === kind)!

t.test('verbs', async (t) => {
  t.same(verbsFor(res('Pod')), ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'])
  t.same(verbsFor(res('Namespace')), ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'])
})

t.test('subresources', async (t) => {
  t.same(responseKindOf(res('Lease')), { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' })
  t.same(subresourcesOf(res('Deployment')), [
    { name: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
    { name: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
  ])
  t.same(subresourcesOf(res('Lease')), [])
})

t.test('group-versions, core first', async (t) => {
  const gvs = servedGroupVersions()
  t.same(gvs.map((g) => g.groupVersion), ['v1', 'apps/v1', 'discovery.k8s.io/v1', 'coordination.k8s.io/v1'])
  t.equal(gvs.reduce((n, g) => n + g.resources.length, 0), RESOURCES.length)
})
