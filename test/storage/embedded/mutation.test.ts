import t from 'tap'
import { decodeMutation, encodeMutation } from '../../../src/storage/embedded/mutation.js'

t.test('puts and deletes round-trip; decoded objects are frozen', async (t) => {
  const obj = { metadata: { name: 'a', resourceVersion: '7' }, spec: { x: [1, 2] } }
  const put = decodeMutation(encodeMutation(7, '/registry/pods/default/a', JSON.stringify(obj)))
  t.same(put, { rev: 7, key: '/registry/pods/default/a', obj })
  t.ok(Object.isFrozen(put.obj!.spec))
  t.same(decodeMutation(encodeMutation(8, '/registry/pods/default/"q"', null)), { rev: 8, key: '/registry/pods/default/"q"', obj: null })
})

t.test('malformed payloads are rejected with what is wrong', async (t) => {
  const bad = (s: string): Buffer => Buffer.from(s)
  t.throws(() => decodeMutation(bad('not json')), SyntaxError)
  t.throws(() => decodeMutation(bad('{"k":"x","d":1}')), /valid revision/)
  t.throws(() => decodeMutation(bad('{"r":0,"k":"x","d":1}')), /valid revision/)
  t.throws(() => decodeMutation(bad('{"r":1,"d":1}')), /key/)
  t.throws(() => decodeMutation(bad('{"r":1,"k":"x"}')), /neither an object/)
})
