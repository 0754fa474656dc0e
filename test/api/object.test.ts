import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { creationTimestampFor, deepClone, deepEqual, objectName, rfc3339 } from '../../src/api/object.js'

t.test('objectName is namespace/name for namespaced objects and name otherwise', async (t) => {
  t.equal(objectName({ metadata: { name: 'web', namespace: 'default' } }), 'default/web')
  t.equal(objectName({ metadata: { name: 'node-1' } }), 'node-1')
})

t.test('timestamps are RFC 3339 in whole seconds, as upstream metav1.Time', async (t) => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1))
  t.equal(creationTimestampFor(clock), '2026-01-01T00:00:00Z')
  clock.advance(1_999)
  t.equal(creationTimestampFor(clock), '2026-01-01T00:00:01Z', 'milliseconds are dropped, not rounded')
  t.equal(rfc3339(Date.UTC(2030, 11, 31, 23, 59, 59, 500)), '2030-12-31T23:59:59Z')
})

t.test('deepClone copies without sharing', async (t) => {
  const a = { metadata: { labels: { app: 'x' } }, list: [{ n: 1 }] }
  const b = deepClone(a)
  b.metadata.labels.app = 'y'
  b.list[0]!.n = 2
  t.equal(a.metadata.labels.app, 'x')
  t.equal(a.list[0]!.n, 1)
})

t.test('deepEqual', async (t) => {
  const cases: [unknown, unknown, boolean][] = [
    [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [{ a: 1 }, { a: 2 }, false],
    [[1, 2], [2, 1], false],
    [[1], { 0: 1 }, false],
    [null, {}, false],
    [null, null, true],
    ['1', 1, false],
    [{ a: { b: { c: [] } } }, { a: { b: { c: [] } } }, true],
    [{ a: 1 }, { b: 1 }, false],
  ]
  for (const [a, b, want] of cases) t.equal(deepEqual(a, b), want, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
})
