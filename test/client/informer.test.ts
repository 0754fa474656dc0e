import t, { type Test } from 'tap'
import { once, type EventEmitter } from 'node:events'
import type { KubeList, KubeObject, WatchEvent } from '../../src/api/meta.js'
import { resourceByName } from '../../src/api/registry.js'
import { FakeClock } from '../../src/base/clock.js'
import { Informer, type ListerWatcher } from '../../src/client/informer.js'
import { RestClient } from '../../src/client/rest-client.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { startKplabApiServer } from '../support/kplab-apiserver.js'

const pods = resourceByName('pods')!
const pod = (name: string, node = 'node-1', extra: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: extra },
  spec: { nodeName: node },
})

/** Resolves with the args of the first `name` event for which pred holds. */
function waitFor<A extends unknown[]>(em: EventEmitter, name: string, pred: (...args: A) => boolean = () => true): Promise<A> {
  return new Promise((resolve) => {
    const on = (...args: unknown[]): void => {
      if (pred(...(args as A))) {
        em.off(name, on)
        resolve(args as A)
      }
    }
    em.on(name, on)
  })
}

interface Recorded {
  log: string[]
}

async function setup(t: Test, opts: { resyncPeriodMs?: number } = {}): Promise<{ server: FakeApiServer; clock: FakeClock; inf: Informer; rec: Recorded; done: Promise<void> }> {
  const server = await FakeApiServer.start()
  const client = new RestClient({ server: server.url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  const clock = new FakeClock()
  server.put(pods, pod('a'))
  server.put(pods, pod('b', 'node-2'))
  const inf = new Informer({ client, resource: pods, namespace: 'default', clock, backoffInitialMs: 1000, ...opts })
  inf.addIndexer('nodeName', (p) => [(p.spec as { nodeName: string }).nodeName])
  const rec: Recorded = { log: [] }
  inf.addEventHandler({
    onAdd: (o) => rec.log.push(`add ${o.metadata.name}`),
    onUpdate: (o, n) => rec.log.push(`update ${o.metadata.name} ${o.metadata.resourceVersion}->${n.metadata.resourceVersion}`),
    onDelete: (o) => rec.log.push(`delete ${o.metadata.name}`),
  })
  const watching = once(server, 'watch')
  const done = inf.start()
  await inf.synced
  await watching
  t.teardown(async () => {
    inf.stop()
    await done
    client.close()
    await server.close()
  })
  return { server, clock, inf, rec, done }
}

t.test('constructor does no I/O; list then watch from the list resourceVersion', async (t) => {
  const server = await FakeApiServer.start()
  t.teardown(() => server.close())
  const client = new RestClient({ server: server.url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  t.teardown(() => client.close())
  const inf = new Informer({ client, resource: pods, clock: new FakeClock() })
  t.equal(server.requests.length, 0)
  t.equal(inf.hasSynced(), false)
  const watching = once(server, 'watch')
  const done = inf.start()
  await Promise.all([inf.synced, watching])
  t.equal(inf.hasSynced(), true)
  const [list, watch] = server.requests
  t.match(list!.url, /^\/api\/v1\/pods\?limit=500$/, 'all namespaces')
  t.match(watch!.url, new RegExp(`resourceVersion=${server.resourceVersion}`))
  t.match(watch!.url, /allowWatchBookmarks=true/)
  t.throws(() => inf.start(), { message: /already started/ })
  inf.stop()
  await done
})

t.test('initial list, then watch events reach handlers, cache and indexes', async (t) => {
  const { server, inf, rec } = await setup(t)
  t.same(rec.log, ['add a', 'add b'])
  t.equal(inf.cache.get('default', 'a')?.kind, 'Pod', 'apiVersion/kind filled in on listed items')
  t.same(inf.byIndex('nodeName', 'node-1').map((p) => p.metadata.name), ['a'])

  let ev = waitFor<[WatchEvent]>(inf, 'event')
  server.put(pods, pod('c', 'node-1'))
  await ev
  ev = waitFor<[WatchEvent]>(inf, 'event')
  const aRv = inf.cache.get('default', 'a')!.metadata.resourceVersion
  const moved = server.put(pods, pod('a', 'node-2'))
  await ev
  ev = waitFor<[WatchEvent]>(inf, 'event')
  server.remove(pods, 'default', 'b')
  await ev
  t.same(rec.log.slice(2), ['add c', `update a ${aRv}->${moved.metadata.resourceVersion}`, 'delete b'])
  t.same(inf.byIndex('nodeName', 'node-2').map((p) => p.metadata.name), ['a'])
  t.same(inf.byIndex('nodeName', 'node-1').map((p) => p.metadata.name), ['c'])
  t.equal(inf.lastSyncResourceVersion(), server.resourceVersion)
})

t.test('a dropped connection resumes from the last resourceVersion after a backoff on the clock', async (t) => {
  const { server, clock, inf, rec } = await setup(t)
  const rvBefore = inf.lastSyncResourceVersion()
  const retry = waitFor<[Error, number]>(inf, 'retry')
  server.dropWatches()
  const [, delay] = await retry
  t.equal(delay, 1000)
  server.put(pods, pod('missed'))
  const rewatch = waitFor<[URLSearchParams]>(server, 'watch')
  const ev = waitFor<[WatchEvent]>(inf, 'event')
  clock.advance(delay)
  const [q] = await rewatch
  t.equal(q.get('resourceVersion'), rvBefore, 'resumes, does not relist')
  await ev
  t.same(rec.log, ['add a', 'add b', 'add missed'], 'the event made while disconnected is delivered once')
  t.equal(server.requests.filter((r) => !r.url.includes('watch=true')).length, 1, 'one list only')
})

t.test('a clean end of the watch re-watches at once', async (t) => {
  const { server, inf } = await setup(t)
  const bm = waitFor<[WatchEvent]>(inf, 'event')
  const rv = server.bookmark(pods)
  await bm
  t.equal(inf.lastSyncResourceVersion(), rv, 'BOOKMARK moves the resume point')
  const rewatch = waitFor<[URLSearchParams]>(server, 'watch')
  server.endWatches()
  const [q] = await rewatch
  t.equal(q.get('resourceVersion'), rv)
})

t.test('410 Expired relists; deletes noticed on relist are delivered as onDelete', async (t) => {
  const { server, clock, inf, rec } = await setup(t)
  const retry = waitFor(inf, 'retry')
  server.dropWatches()
  await retry
  // While disconnected: b is deleted, d added, a changed; history is compacted past our rv.
  const aBefore = inf.cache.get('default', 'a')!.metadata.resourceVersion
  server.remove(pods, 'default', 'b')
  server.put(pods, pod('d'))
  const aAfter = server.put(pods, pod('a', 'node-9')).metadata.resourceVersion
  server.expiredBelow = Number(server.resourceVersion)
  const expired = waitFor(inf, 'expired')
  const relisted = waitFor<[string]>(inf, 'listed')
  clock.advance(1000)
  await expired
  const [rv] = await relisted
  t.equal(rv, server.resourceVersion)
  t.same(rec.log.slice(2).sort(), ['add d', 'delete b', `update a ${aBefore}->${aAfter}`])
  t.same(inf.cache.keys().sort(), ['default/a', 'default/d'])
  t.same(inf.byIndex('nodeName', 'node-9').map((p) => p.metadata.name), ['a'])
})

t.test('a watch refused with HTTP 410 also relists', async (t) => {
  const { server, clock, inf } = await setup(t)
  const retry = waitFor(inf, 'retry')
  server.dropWatches()
  await retry
  server.put(pods, pod('z'))
  server.expiredBelow = Number(server.resourceVersion)
  server.expiredAsHttp = true
  const relisted = waitFor<[string]>(inf, 'listed')
  clock.advance(1000)
  await relisted
  t.ok(inf.cache.get('default', 'z'))
})

t.test('periodic resync delivers onUpdate(obj, obj) on the fake clock', async (t) => {
  const { clock, inf, rec } = await setup(t, { resyncPeriodMs: 60_000 })
  const resync = waitFor(inf, 'resync')
  clock.advance(60_000)
  await resync
  const a = inf.cache.get('default', 'a')!.metadata.resourceVersion
  t.ok(rec.log.includes(`update a ${a}->${a}`))
})

t.test('a handler added after sync first gets every cached object; a throwing handler does not stop others', async (t) => {
  const { server, inf, rec } = await setup(t)
  const late: string[] = []
  inf.addEventHandler({ onAdd: (o) => late.push(o.metadata.name!) })
  t.same(late.sort(), ['a', 'b'])
  inf.addEventHandler({
    onAdd: () => {
      throw new Error('handler bug')
    },
  })
  const failed = waitFor(inf, 'handlerError')
  const ev = waitFor(inf, 'event')
  server.put(pods, pod('e'))
  await Promise.all([failed, ev])
  t.ok(rec.log.includes('add e'))
})

t.test('failed lists back off, doubling up to the maximum; the signal stops the loop', async (t) => {
  let calls = 0
  const lw: ListerWatcher = {
    listAll: (async () => {
      calls++
      throw new Error('connection refused')
    }) as ListerWatcher['listAll'],
    watch: (async function* () {}) as unknown as ListerWatcher['watch'],
  }
  const clock = new FakeClock()
  const inf = new Informer({ client: lw, resource: pods, clock, backoffInitialMs: 100, backoffMaxMs: 300 })
  const delays: number[] = []
  const ac = new AbortController()
  const done = inf.start(ac.signal)
  for (let i = 0; i < 4; i++) {
    const [, d] = await waitFor<[Error, number]>(inf, 'retry')
    delays.push(d)
    clock.advance(d)
  }
  t.same(delays, [100, 200, 300, 300])
  await waitFor(inf, 'retry')
  ac.abort()
  await done
  t.equal(calls, 5)
  t.equal(clock.pendingCount, 0, 'no timer left behind')
  t.equal(inf.hasSynced(), false)
})

t.test('an empty list that ends a watch with no events backs off instead of spinning', async (t) => {
  let watches = 0
  const lw: ListerWatcher = {
    listAll: (async () => ({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '5' }, items: [] }) as KubeList) as unknown as ListerWatcher['listAll'],
    watch: (async function* () {
      watches++
    }) as unknown as ListerWatcher['watch'],
  }
  const clock = new FakeClock()
  const inf = new Informer({ client: lw, resource: pods, clock, backoffInitialMs: 50 })
  const done = inf.start()
  const [err] = await waitFor<[Error, number]>(inf, 'retry')
  t.match(err.message, /watch closed before any event/)
  t.equal(watches, 1)
  inf.stop()
  await done
})

t.test('against the kplab API server: sync, then add/update/delete through the watch', async (t) => {
  const { url } = await startKplabApiServer(t)
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  t.teardown(() => client.close())
  const podSpec = { containers: [{ name: 'c', image: 'i' }], nodeName: 'node-1' }
  await client.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'before' }, spec: podSpec })
  const inf = new Informer({ client, resource: pods, namespace: 'default', clock: new FakeClock() })
  inf.addIndexer('nodeName', (p) => [(p.spec as { nodeName?: string }).nodeName ?? ''])
  const log: string[] = []
  inf.addEventHandler({
    onAdd: (o) => log.push(`add ${o.metadata.name}`),
    onUpdate: (_o, n) => log.push(`update ${n.metadata.name}`),
    onDelete: (o) => log.push(`delete ${o.metadata.name}`),
  })
  const done = inf.start()
  t.teardown(async () => {
    inf.stop()
    await done
  })
  await inf.synced
  const next = (): Promise<unknown> => waitFor<[WatchEvent]>(inf, 'event', (ev) => ev.type !== 'BOOKMARK')
  let ev = next()
  await client.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'after' }, spec: podSpec })
  await ev
  ev = next()
  await client.patch(pods, 'default', 'after', { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json')
  await ev
  t.same(log, ['add before', 'add after', 'update after'])
  t.same(inf.byIndex('nodeName', 'node-1').map((p) => p.metadata.name).sort(), ['after', 'before'])
})
