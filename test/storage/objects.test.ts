import t from 'tap'
import { ConflictError } from '../../src/storage/errors.js'
import { checkPreconditions, decodeFrozen, deepFreeze, encodeWithRevision, isNoopUpdate, revisionOf, withRevision } from '../../src/storage/objects.js'

t.test('encodeWithRevision stamps a copy, decodeFrozen freezes deeply', async (t) => {
  const obj = { metadata: { name: 'a', labels: { x: '1' } }, spec: { ports: [{ port: 80 }] } }
  const json = encodeWithRevision(obj, 12)
  t.equal((obj.metadata as { resourceVersion?: string }).resourceVersion, undefined, 'input untouched')
  const back = decodeFrozen(json)
  t.equal(back.metadata.resourceVersion, '12')
  t.equal(revisionOf(back), 12)
  t.ok(Object.isFrozen((back.spec as { ports: object[] }).ports[0]))
  t.equal(revisionOf({ metadata: {} }), 0)
  const moved = withRevision(back, 13)
  t.equal(moved.metadata.resourceVersion, '13')
  t.equal(back.metadata.resourceVersion, '12')
  t.ok(Object.isFrozen(moved.metadata))
  const cyclicSafe = deepFreeze({ a: 1, b: null, c: 'x' })
  t.ok(Object.isFrozen(cyclicSafe))
})

t.test('preconditions: uid and resourceVersion, upstream wording', async (t) => {
  const cur = { metadata: { name: 'a', uid: 'u1', resourceVersion: '5' } }
  t.doesNotThrow(() => checkPreconditions('/k', cur, undefined))
  t.doesNotThrow(() => checkPreconditions('/k', cur, { uid: 'u1', resourceVersion: 5 }))
  t.throws(() => checkPreconditions('/k', cur, { uid: 'u2' }), new ConflictError('/k', 'Precondition failed: UID in precondition: u2, UID in object meta: u1'))
  t.throws(
    () => checkPreconditions('/k', cur, { resourceVersion: 4 }),
    new ConflictError('/k', 'Precondition failed: ResourceVersion in precondition: 4, ResourceVersion in object meta: 5'),
  )
})

t.test('isNoopUpdate ignores the resourceVersion only', async (t) => {
  const cur = { metadata: { name: 'a', resourceVersion: '5' }, spec: { a: 1 } }
  t.ok(isNoopUpdate(cur, { metadata: { name: 'a' }, spec: { a: 1 } }))
  t.ok(isNoopUpdate(cur, { metadata: { name: 'a', resourceVersion: '3' }, spec: { a: 1 } }))
  t.notOk(isNoopUpdate(cur, { metadata: { name: 'a' }, spec: { a: 2 } }))
})
