import t from 'tap'
import { randomInt, seededRng } from '../../../src/base/rng.js'
import { KeyIndex } from '../../../src/storage/embedded/key-index.js'

const o = (name: string) => ({ metadata: { name } })

t.test('set, replace, delete keep keys sorted', async (t) => {
  const ix = new KeyIndex()
  const rng = seededRng('key-index')
  const model = new Map<string, string>()
  let disagreements = 0
  for (let i = 0; i < 2000; i++) {
    const k = `/registry/pods/ns${randomInt(rng, 5)}/p${randomInt(rng, 300)}`
    if (randomInt(rng, 3) === 0) {
      if (ix.delete(k) !== model.delete(k)) disagreements++
    } else {
      ix.set(k, o(k))
      model.set(k, k)
    }
  }
  t.equal(disagreements, 0, 'delete reports presence like a Map')
  t.equal(ix.size, model.size)
  const keys = [...ix.entries()].map(([k]) => k)
  t.same(keys, [...model.keys()].sort(), 'entries in key order, same as a sorted model')
  t.equal(ix.delete('/registry/none'), false)
})

t.test('scan: prefix boundaries, afterKey, limit', async (t) => {
  const ix = new KeyIndex()
  for (const k of ['/a/1', '/a/2', '/a/3', '/a0/1', '/b/1', '/a/']) ix.set(k, o(k))
  t.same(ix.scan('/a/').keys, ['/a/', '/a/1', '/a/2', '/a/3'], '/a0/ is not under /a/')
  t.same(ix.scan('/a/', '/a/1').keys, ['/a/2', '/a/3'], 'strictly after afterKey')
  t.same(ix.scan('/a/', '/a/15').keys, ['/a/2', '/a/3'], 'afterKey need not exist')
  t.same(ix.scan('/a/', '/0').keys.length, 4, 'afterKey before the prefix is ignored')
  t.same(ix.scan('/a/', '/a/3').keys, [])
  t.same(ix.scan('/a/', undefined, 2), { keys: ['/a/', '/a/1'], items: [o('/a/'), o('/a/1')], hasMore: true })
  t.equal(ix.scan('/a/', '/a/1', 2).hasMore, false, 'exactly limit left is not more')
  t.same(ix.scan('/c/').keys, [])
  t.equal(ix.get('/b/1')?.metadata.name, '/b/1')
})
