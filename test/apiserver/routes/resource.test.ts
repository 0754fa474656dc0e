import t from 'tap'
import { parseTarget } from '../../../src/apiserver/routes/resource.js'

t.test('parseTarget resolves upstream REST paths', async (t) => {
  const p = (g: string, segs: string) => {
    const r = parseTarget(g, 'v1', segs.split('/'))
    return r && { plural: r.resource.plural, ns: r.namespace, name: r.name, sub: r.subresource }
  }
  t.same(p('', 'pods'), { plural: 'pods', ns: undefined, name: undefined, sub: undefined })
  t.same(p('', 'namespaces/default/pods'), { plural: 'pods', ns: 'default', name: undefined, sub: undefined })
  t.same(p('', 'namespaces/default/pods/web'), { plural: 'pods', ns: 'default', name: 'web', sub: undefined })
  t.same(p('', 'namespaces/default/pods/web/log'), { plural: 'pods', ns: 'default', name: 'web', sub: 'log' })
  t.same(p('', 'namespaces'), { plural: 'namespaces', ns: undefined, name: undefined, sub: undefined })
  t.same(p('', 'namespaces/default'), { plural: 'namespaces', ns: undefined, name: 'default', sub: undefined })
  t.same(p('', 'namespaces/default/status'), { plural: 'namespaces', ns: undefined, name: 'default', sub: 'status' })
  t.same(p('', 'nodes/n1/status'), { plural: 'nodes', ns: undefined, name: 'n1', sub: 'status' })
  t.same(p('apps', 'namespaces/x/deployments/web/scale'), { plural: 'deployments', ns: 'x', name: 'web', sub: 'scale' })
  t.equal(p('', 'pods/web'), undefined, 'a namespaced object needs its namespace')
  t.equal(p('', 'deployments'), undefined, 'wrong group')
  t.equal(p('', 'namespaces/default/pods/web/log/extra'), undefined)
  t.equal(p('', 'namespaces//pods'), undefined)
  t.equal(p('apps', 'widgets'), undefined)
})
