import t from 'tap'
import type { KubeObject } from '../../src/api/meta.js'
import { Cache, namespaceIndexFunc, objectKey } from '../../src/client/cache.js'

const pod = (ns: string, name: string, node?: string, rv = '1'): KubeObject => ({ metadata: { namespace: ns, name, resourceVersion: rv }, spec: { nodeName: node } })
const byNode = (o: KubeObject): string[] => {
  const n = (o.spec as { nodeName?: string }).nodeName
  return n ? [n] : []
}

t.test('keys are namespace/name, or name when cluster-scoped', async (t) => {
  t.equal(objectKey(pod('default', 'a')), 'default/a')
  t.equal(objectKey({ metadata: { name: 'node-1' } }), 'node-1')
})

t.test('upsert, get, remove, and indexes follow changes', async (t) => {
  const c = new Cache()
  c.addIndexer('nodeName', byNode)
  t.equal(c.upsert(pod('default', 'a', 'node-1')), undefined)
  c.upsert(pod('default', 'b', 'node-1'))
  c.upsert(pod('other', 'c', 'node-2'))
  t.same(c.byIndex('nodeName', 'node-1').map((p) => p.metadata.name), ['a', 'b'])

  const old = c.upsert(pod('default', 'a', 'node-2', '2'))
  t.equal(old?.metadata.resourceVersion, '1', 'returns the replaced object')
  t.same(c.byIndex('nodeName', 'node-1').map((p) => p.metadata.name), ['b'], 'moved out of the old index value')
  t.same(c.byIndex('nodeName', 'node-2').map((p) => p.metadata.name).sort(), ['a', 'c'])

  t.equal(c.remove(pod('default', 'b'))?.metadata.name, 'b')
  t.same(c.indexValues('nodeName'), ['node-2'], 'empty index values are dropped')
  t.equal(c.get('other', 'c')?.metadata.name, 'c')
  t.equal(c.getByKey('default/a')?.metadata.resourceVersion, '2')
  t.equal(c.size, 2)
  t.equal(c.removeKey('nope'), undefined)
})

t.test('an indexer added late indexes existing objects; unknown or duplicate names are errors', async (t) => {
  const c = new Cache()
  c.upsert(pod('a', 'x'))
  c.upsert(pod('b', 'y'))
  c.addIndexer('namespace', namespaceIndexFunc)
  t.same(c.byIndex('namespace', 'b').map((p) => p.metadata.name), ['y'])
  t.throws(() => c.addIndexer('namespace', namespaceIndexFunc), { message: /already exists/ })
  t.throws(() => c.byIndex('nodeName', 'n'), { message: /addIndexer\("nodeName"/ })
})
