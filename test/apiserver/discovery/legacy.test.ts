import t from 'tap'
import { apiGroupList, apiResourceList, apiVersions } from '../../../src/apiserver/discovery/legacy.js'

t.test('APIVersions', async (t) => {
  t.same(apiVersions('127.0.0.1:6443'), {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  })
})

t.test('APIGroupList has every named group, preferred v1', async (t) => {
  const list = apiGroupList()
  t.equal(list.kind, 'APIGroupList')
  t.equal(list.apiVersion, 'v1')
  t.same(list.groups[0], { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } })
  t.same(list.groups.map((g) => g.name), ['apps', 'discovery.k8s.io', 'coordination.k8s.io'])
})

t.test('APIResourceList for apps/v1 as kubectl-surface §3.2 shows it', async (t) => {
  const list = apiResourceList('apps', 'v1')!
  t.equal(list.groupVersion, 'apps/v1')
  t.same(list.resources.find((r) => r.name === 'deployments'), {
    name: 'deployments',
    singularName: 'deployment',
    namespaced: true,
    kind: 'Deployment',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['deploy'],
    categories: ['all'],
  })
  t.same(list.resources.find((r) => r.name === 'deployments/scale'), {
    name: 'deployments/scale',
    singularName: '',
    namespaced: true,
    group: 'autoscaling',
    version: 'v1',
    kind: 'Scale',
    verbs: ['get', 'patch', 'update'],
  })
  t.same(list.resources.find((r) => r.name === 'deployments/status'), {
    name: 'deployments/status',
    singularName: '',
    namespaced: true,
    kind: 'Deployment',
    verbs: ['get', 'patch', 'update'],
  })
})

t.test('core v1 and unknown group-versions', async (t) => {
  const core = apiResourceList('', 'v1')!
  t.equal(core.groupVersion, 'v1')
  t.same(core.resources.find((r) => r.name === 'pods/log'), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] })
  t.same(core.resources.find((r) => r.name === 'pods/binding')?.verbs, ['create'])
  t.equal(core.resources.find((r) => r.name === 'nodes')?.namespaced, false)
  t.equal(apiResourceList('apps', 'v2'), undefined)
  t.equal(apiResourceList('batch', 'v1'), undefined)
})
