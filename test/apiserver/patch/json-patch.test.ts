import t from 'tap'
import { applyJsonPatch, parsePointer } from '../../../src/apiserver/patch/json-patch.js'
import { StatusError } from '../../../src/api/errors.js'

t.test('parsePointer unescapes ~1 and ~0 (RFC 6901)', async (t) => {
  t.same(parsePointer(''), [])
  t.same(parsePointer('/a~1b/m~0n/~01'), ['a/b', 'm~n', '~1'])
  t.throws(() => parsePointer('a/b'), { name: 'StatusError', code: 400 })
})

t.test('RFC 6902 appendix A examples', async (t) => {
  t.same(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }]), { foo: 'bar', baz: 'qux' })
  t.same(applyJsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }]), { foo: ['bar', 'qux', 'baz'] })
  t.same(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }]), { foo: 'bar' })
  t.same(applyJsonPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }]), { foo: ['bar', 'baz'] })
  t.same(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }]), { baz: 'boo', foo: 'bar' })
  t.same(
    applyJsonPatch({ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }]),
    { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  )
  t.same(applyJsonPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }]), {
    foo: ['all', 'cows', 'eat', 'grass'],
  })
  t.same(applyJsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }]), { foo: ['bar', ['abc', 'def']] })
  t.same(applyJsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }]), { '/': 9, '~1': 10 })
  t.same(applyJsonPatch({ a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }]), { a: { b: 1 }, c: { b: 1 } })
  t.same(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 })
})

t.test('a failed operation is a 422 naming the operation; the input is untouched', async (t) => {
  const doc = { spec: { replicas: 2, containers: [{ name: 'a' }] } }
  const before = JSON.stringify(doc)
  const cases: [unknown[], RegExp][] = [
    [[{ op: 'test', path: '/spec/replicas', value: 3 }], /operation 0 \(test \/spec\/replicas\): test failed: the value at "\/spec\/replicas" is 2, not 3/],
    [[{ op: 'remove', path: '/spec/nope' }], /cannot remove "\/spec\/nope"/],
    [[{ op: 'replace', path: '/spec/nope', value: 1 }], /does not exist/],
    [[{ op: 'add', path: '/missing/x', value: 1 }], /missing "missing"/],
    [[{ op: 'add', path: '/spec/containers/5', value: 1 }], /out of bounds/],
    [[{ op: 'add', path: '/spec/containers/x', value: 1 }], /invalid array index "x"/],
    [[{ op: 'replace', path: '/spec/replicas', value: 5 }, { op: 'test', path: '/spec/replicas', value: 2 }], /operation 1/],
    [[{ op: 'move', from: '/spec', path: '/spec/x' }], /into its own child/],
    [[{ op: 'add', path: '/spec/replicas/x', value: 1 }], /not an object or array/],
  ]
  for (const [ops, msg] of cases) {
    t.throws(() => applyJsonPatch(doc, ops), { name: 'StatusError', code: 422, reason: 'Invalid', message: msg }, JSON.stringify(ops))
  }
  t.equal(JSON.stringify(doc), before)
})

t.test('a malformed patch is a 400', async (t) => {
  for (const ops of [{ op: 'add' }, [{ op: 'frob', path: '/a' }], [{ op: 'add', path: '/a' }], [{ op: 'move', path: '/a' }], [{ op: 'add', path: 3, value: 1 }]]) {
    const err = t.throws(() => applyJsonPatch({}, ops), JSON.stringify(ops))
    t.ok(err instanceof StatusError && err.code === 400, `400 for ${JSON.stringify(ops)}`)
  }
})

t.test('kubectl patch --type=json', async (t) => {
  const dep = { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } }
  t.same(applyJsonPatch(dep, [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27' }]), {
    spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
  })
  t.same(applyJsonPatch({ metadata: { annotations: {} } }, [{ op: 'add', path: '/metadata/annotations/kplab.io~1lb-algorithm', value: 'p2c' }]), {
    metadata: { annotations: { 'kplab.io/lb-algorithm': 'p2c' } },
  })
})
