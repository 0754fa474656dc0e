import t from 'tap'
import { canonicalJson, equalIgnoreHash, fnv32a, podTemplateHash, safeEncode } from '../../../src/controllers/deployment/hash.js'

t.test('fnv32a matches the published test vectors', async (t) => {
  t.equal(fnv32a(''), 0x811c9dc5)
  t.equal(fnv32a('a'), 0xe40c292c)
  t.equal(fnv32a('foobar'), 0xbf9cf968)
})

t.test('safeEncode maps digits onto upstream’s consonant alphabet', async (t) => {
  // '0' is byte 48, 48 % 27 = 21 → '4'; '6' is 54 % 27 = 0 → 'b' (hence hashes like 5d59d67564).
  t.equal(safeEncode('0123456789'), '456789bcdf')
})

t.test('template hashes ignore key order and the hash label, and change with content or collisions', async (t) => {
  const a = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }
  const b = { spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { tier: 'x', app: 'web', 'pod-template-hash': 'zzz' } } }
  t.equal(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}')
  t.equal(podTemplateHash(a), podTemplateHash(b))
  t.ok(equalIgnoreHash(a, b))
  t.not(podTemplateHash(a), podTemplateHash({ ...a, spec: { containers: [{ name: 'c', image: 'j' }] } }))
  t.not(podTemplateHash(a), podTemplateHash(a, 1))
  t.match(podTemplateHash(a), /^[bcdfghjklmnpqrstvwxz2456789]+$/)
})
