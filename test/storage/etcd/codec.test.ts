import t from 'tap'
import type { IKeyValue } from 'etcd3'
import { decodeKv, encodeValue, prefixRangeEnd, restamp } from '../../../src/storage/etcd/codec.js'

t.test('values are stored without resourceVersion and read back with mod_revision', async (t) => {
  const value = encodeValue({ metadata: { name: 'a', resourceVersion: '9' }, spec: { x: 1 } })
  t.same(JSON.parse(value.toString()), { metadata: { name: 'a' }, spec: { x: 1 } })
  const kv = { key: Buffer.from('/registry/pods/default/a'), value, mod_revision: '17', create_revision: '3', version: '2', lease: '0' } as IKeyValue
  const obj = decodeKv(kv)
  t.equal(obj.metadata.resourceVersion, '17')
  t.ok(Object.isFrozen(obj.metadata))
  t.equal(decodeKv(kv, 20).metadata.resourceVersion, '20')
  t.equal(restamp(obj, 21).metadata.resourceVersion, '21')
})

t.test('prefixRangeEnd increments the last byte, as clientv3.GetPrefixRangeEnd', async (t) => {
  t.same(prefixRangeEnd('/registry/pods/'), Buffer.from('/registry/pods0'))
  t.same(prefixRangeEnd('a\u00ff'), Buffer.from([0x61, 0xc3, 0xc0]), 'works on UTF-8 bytes')
  t.same(prefixRangeEnd(''), Buffer.from([0]), 'empty prefix: every key')
})
