import t from 'tap'
import { applyMergePatch, cloneJson, isObject } from '../../../src/apiserver/patch/merge-patch.js'

// The examples of RFC 7386 appendix A.
const rfcCases: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
]

t.test('RFC 7386 appendix A', async (t) => {
  for (const [target, patch, want] of rfcCases) {
    t.same(applyMergePatch(target, patch), want, JSON.stringify([target, patch]))
  }
})

t.test('inputs are never changed and the result shares nothing with them', async (t) => {
  const target = { metadata: { labels: { a: '1' } }, spec: { list: [1, 2] } }
  const patch = { metadata: { labels: { b: '2' } }, spec: { other: { x: 1 } } }
  const before = JSON.stringify([target, patch])
  const out = applyMergePatch(target, patch) as { spec: { list: number[]; other: { x: number } } }
  t.equal(JSON.stringify([target, patch]), before)
  out.spec.list.push(3)
  out.spec.other.x = 9
  t.same(target.spec.list, [1, 2])
  t.same(patch.spec.other, { x: 1 })
})

t.test('kubectl label / scale bodies', async (t) => {
  t.same(applyMergePatch({ metadata: { name: 'web', labels: { app: 'web' } } }, { metadata: { labels: { tier: 'frontend' } } }), {
    metadata: { name: 'web', labels: { app: 'web', tier: 'frontend' } },
  })
  t.same(applyMergePatch({ spec: { replicas: 3 }, status: { replicas: 3 } }, { spec: { replicas: 5 } }), { spec: { replicas: 5 }, status: { replicas: 3 } })
})

t.test('helpers', async (t) => {
  t.ok(isObject({}))
  t.notOk(isObject([]))
  t.notOk(isObject(null))
  t.equal(cloneJson(undefined), undefined)
  const o = { a: [1] }
  t.not(cloneJson(o).a, o.a)
})
