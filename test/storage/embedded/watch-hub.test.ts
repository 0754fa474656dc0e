import t from 'tap'
import { WatchHub } from '../../../src/storage/embedded/watch-hub.js'
import { ExpiredError } from '../../../src/storage/errors.js'
import type { StoreEvent } from '../../../src/storage/store.js'
import { collector } from '../contract.js'

const ev = (rev: number, key = `/registry/pods/default/p${rev}`): StoreEvent => ({
  type: 'ADDED',
  key,
  object: { metadata: { name: `p${rev}`, resourceVersion: String(rev) } },
  resourceVersion: rev,
})

t.test('history replay then live, in order, from a microtask', async (t) => {
  const hub = new WatchHub(10)
  for (let r = 1; r <= 5; r++) hub.publish(ev(r))
  const c = collector()
  hub.watch('/registry/pods/', 2, c)
  t.equal(c.events.length, 0, 'nothing delivered before watch() returns')
  hub.publish(ev(6))
  t.same((await c.wait(4)).map((e) => e.resourceVersion), [3, 4, 5, 6], 'live events queue behind the replay')
  hub.publish(ev(7))
  t.equal(c.events.at(-1)!.resourceVersion, 7, 'live delivery is synchronous')
})

t.test('history is bounded: older start revisions are Expired', async (t) => {
  const hub = new WatchHub(3)
  for (let r = 1; r <= 5; r++) hub.publish(ev(r))
  t.equal(hub.oldestWatchableRevision, 2, 'revisions 3..5 kept, so watches from 2 on work')
  t.throws(() => hub.watch('/', 1, collector()), ExpiredError)
  const err = (() => {
    try {
      hub.watch('/', 0, collector())
    } catch (e) {
      return e as ExpiredError
    }
  })()
  t.match(err, { requested: 0, oldest: 2, message: 'too old resource version: 0 (2)' })
  const c = collector()
  hub.watch('/', 2, c)
  t.same((await c.wait(3)).map((e) => e.resourceVersion), [3, 4, 5])
})

t.test('reset forgets history up to a revision (store loaded from a snapshot)', async (t) => {
  const hub = new WatchHub(5)
  hub.publish(ev(1))
  hub.reset(100)
  t.throws(() => hub.watch('/', 99, collector()), ExpiredError)
  const c = collector()
  hub.watch('/', 100, c)
  hub.publish(ev(101))
  t.same((await c.wait(1)).map((e) => e.resourceVersion), [101])
})

t.test('prefix filtering and fan-out of the same event object', async (t) => {
  const hub = new WatchHub(100)
  const cs = Array.from({ length: 100 }, () => collector())
  cs.forEach((c, i) => hub.watch(i % 2 ? '/registry/pods/' : '/registry/services/', 0, c))
  await Promise.resolve()
  const pod = ev(1)
  hub.publish(pod)
  hub.publish(ev(2, '/registry/services/default/s'))
  t.equal(cs.filter((c, i) => i % 2 === 1 && c.events.length === 1 && c.events[0] === pod).length, 50, 'pod watchers got the same object')
  t.equal(cs.filter((c, i) => i % 2 === 0 && c.events.length === 1 && c.events[0]!.resourceVersion === 2).length, 50)
  t.equal(hub.watcherCount, 100)
})

t.test('a handler that publishes does not reorder delivery to others', async (t) => {
  const hub = new WatchHub(100)
  const a: number[] = []
  const b: number[] = []
  hub.watch('/', 0, {
    onEvent(e) {
      a.push(e.resourceVersion)
      if (e.resourceVersion === 1) hub.publish(ev(2)) // e.g. a controller writing back synchronously
    },
  })
  hub.watch('/', 0, { onEvent: (e) => void b.push(e.resourceVersion) })
  await Promise.resolve()
  hub.publish(ev(1))
  t.same(a, [1, 2])
  t.same(b, [1, 2], 'the second watcher still sees 1 before 2')
})

t.test('a throwing handler stops only its own watch; stop() and closeAll()', async (t) => {
  const hub = new WatchHub(10)
  const bad = collector()
  hub.watch('/', 0, {
    onEvent() {
      throw new Error('consumer bug')
    },
    onError: bad.onError,
  })
  const good = collector()
  const w = hub.watch('/', 0, good)
  await Promise.resolve()
  hub.publish(ev(1))
  t.match(await bad.waitError(), /consumer bug/)
  hub.publish(ev(2))
  t.same(good.events.map((e) => e.resourceVersion), [1, 2])
  t.equal(bad.errors.length, 1, 'the failed watch hears once')
  t.equal(hub.watcherCount, 1, 'and is dropped')
  w.stop()
  hub.publish(ev(3))
  t.equal(good.events.length, 2, 'stopped')
  const last = collector()
  hub.watch('/', 3, last)
  hub.closeAll(new Error('closing'))
  t.match(await last.waitError(), /closing/)
  t.equal(bad.errors.length, 1, 'closeAll skips watches that already ended')
  t.equal(hub.watcherCount, 0)
  t.throws(() => new WatchHub(0), RangeError)
})
