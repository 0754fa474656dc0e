import t from 'tap'
import { request, type IncomingMessage } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import type { KubeObject } from '../../src/api/meta.js'
import { EmbeddedStore } from '../../src/storage/embedded/store.js'
import { convertEvent } from '../../src/apiserver/watch.js'
import { call, deployment, newApp, pod } from './harness.js'

interface WatchLine {
  type: string
  object: KubeObject & { code?: number; reason?: string; rows?: unknown[] }
}

/** An open watch over real HTTP: events are read line by line as they arrive. */
interface OpenWatch {
  res: IncomingMessage
  next(): Promise<WatchLine>
  ended: Promise<void>
  close(): void
}

async function openWatch(base: string, path: string, headers: Record<string, string> = {}): Promise<OpenWatch> {
  const req = request(`${base}${path}`, { headers })
  req.end()
  const [res] = (await once(req, 'response')) as [IncomingMessage]
  const lines: WatchLine[] = []
  const waiters: ((l: WatchLine) => void)[] = []
  let buf = ''
  res.setEncoding('utf8')
  res.on('data', (chunk: string) => {
    buf += chunk
    let i: number
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, i)) as WatchLine
      buf = buf.slice(i + 1)
      const w = waiters.shift()
      if (w) w(line)
      else lines.push(line)
    }
  })
  // 'close' comes both when the server ends the stream and when we destroy it (once(res, 'end') would reject then).
  const ended = new Promise<void>((resolve) => res.once('close', () => resolve()))
  return {
    res,
    next: () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise((resolve) => waiters.push(resolve))),
    ended,
    close: () => req.destroy(),
  }
}

async function listen(t: Parameters<typeof newApp>[0], opts: Parameters<typeof newApp>[1] = {}) {
  const env = await newApp(t, opts)
  await env.app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`
  return { ...env, base }
}

t.test('watch without resourceVersion replays the state, then streams changes', async (t) => {
  const { app, base } = await listen(t)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('a'))
  const w = await openWatch(base, '/api/v1/namespaces/default/pods?watch=true')
  t.teardown(w.close)
  t.equal(w.res.statusCode, 200, 'headers arrive before any change')
  t.equal(w.res.headers['cache-control'], 'no-cache, private')
  t.equal(w.res.headers['transfer-encoding'], 'chunked')
  const first = await w.next()
  t.match(first, { type: 'ADDED', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } } })
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('b'))
  t.match(await w.next(), { type: 'ADDED', object: { metadata: { name: 'b' } } })
  await call(app, 'PATCH', '/api/v1/namespaces/default/pods/b', { metadata: { labels: { x: 'y' } } }, { 'content-type': 'application/merge-patch+json' })
  t.match(await w.next(), { type: 'MODIFIED', object: { metadata: { name: 'b', labels: { x: 'y' } } } })
  await call(app, 'DELETE', '/api/v1/namespaces/default/pods/b')
  t.match(await w.next(), { type: 'DELETED', object: { metadata: { name: 'b' } } })
})

t.test('watch from a resourceVersion sends only later events; dry runs send none', async (t) => {
  const { app, base } = await listen(t)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('a'))
  const list = await call(app, 'GET', '/api/v1/namespaces/default/pods')
  await call(app, 'POST', '/api/v1/namespaces/default/pods?dryRun=All', pod('dry'))
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('b'))
  const w = await openWatch(base, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`)
  t.teardown(w.close)
  const ev = await w.next()
  t.match(ev, { type: 'ADDED', object: { metadata: { name: 'b' } } }, 'a (before the RV) and dry (never written) are not sent')
})

t.test('an expired resourceVersion gives an ERROR event with a 410 Status, then the stream ends', async (t) => {
  const { app, base } = await listen(t, { historySize: 2 })
  for (let i = 0; i < 5; i++) await call(app, 'POST', '/api/v1/namespaces/default/pods', pod(`p${i}`))
  const w = await openWatch(base, '/api/v1/namespaces/default/pods?watch=true&resourceVersion=1')
  const ev = await w.next()
  t.match(ev, { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } })
  await w.ended
})

t.test('selector watches: leaving the selection is DELETED, entering it ADDED', async (t) => {
  const { app, base } = await listen(t)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('a', { app: 'web' }))
  const w = await openWatch(base, '/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dweb')
  t.teardown(w.close)
  t.match(await w.next(), { type: 'ADDED', object: { metadata: { name: 'a' } } })
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('other', { app: 'db' }))
  await call(app, 'PATCH', '/api/v1/namespaces/default/pods/a', { metadata: { labels: { app: 'db' } } }, { 'content-type': 'application/merge-patch+json' })
  const left = await w.next()
  t.match(left, { type: 'DELETED', object: { metadata: { name: 'a', labels: { app: 'web' } } } }, 'the other pod is never sent')
  await call(app, 'PATCH', '/api/v1/namespaces/default/pods/other', { metadata: { labels: { app: 'web' } } }, { 'content-type': 'application/merge-patch+json' })
  t.match(await w.next(), { type: 'ADDED', object: { metadata: { name: 'other' } } })
})

t.test('a graceful pod deletion is MODIFIED (deletionTimestamp) then DELETED when the kubelet finishes', async (t) => {
  const { app, base } = await listen(t)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('a', { app: 'a' }, { nodeName: 'node-1' }))
  const list = await call(app, 'GET', '/api/v1/namespaces/default/pods')
  const w = await openWatch(base, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`)
  t.teardown(w.close)
  const del = await call(app, 'DELETE', '/api/v1/namespaces/default/pods/a', { propagationPolicy: 'Background' })
  t.equal(del.status, 200)
  t.ok(del.body.metadata.deletionTimestamp)
  t.equal(del.body.metadata.deletionGracePeriodSeconds, 30)
  t.match(await w.next(), { type: 'MODIFIED', object: { metadata: { name: 'a', deletionGracePeriodSeconds: 30 } } })
  t.equal((await call(app, 'GET', '/api/v1/namespaces/default/pods/a')).status, 200, 'still there while terminating')
  await call(app, 'DELETE', '/api/v1/namespaces/default/pods/a', { gracePeriodSeconds: 0 })
  t.match(await w.next(), { type: 'DELETED', object: { metadata: { name: 'a' } } })
})

t.test('Table watch events when the Accept asks for Tables', async (t) => {
  const { app, base } = await listen(t)
  const w = await openWatch(base, '/api/v1/namespaces/default/pods?watch=true&resourceVersion=0', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' })
  t.teardown(w.close)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('a'))
  const ev = await w.next()
  t.equal(ev.type, 'ADDED')
  t.equal(ev.object.kind, 'Table')
  t.equal(ev.object.rows?.length, 1)
})

t.test('timeoutSeconds ends the stream on the injected clock; bookmarks tick on it too', async (t) => {
  const { app, base, clock } = await listen(t, { bookmarkIntervalMs: 1000 })
  await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))
  const list = await call(app, 'GET', '/apis/apps/v1/namespaces/default/deployments')
  const w = await openWatch(base, `/apis/apps/v1/namespaces/default/deployments?watch=true&allowWatchBookmarks=true&timeoutSeconds=5&resourceVersion=${list.body.metadata.resourceVersion}`)
  // The stream is registered once its headers are out; only then are its timers on the clock.
  t.equal(app.kplab.watches.activeCount, 1)
  clock.advance(1000)
  t.match(await w.next(), { type: 'BOOKMARK', object: { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { resourceVersion: list.body.metadata.resourceVersion } } })
  clock.advance(4000)
  await w.ended
  t.equal(app.kplab.watches.activeCount, 0)
})

t.test('a client going away stops its store watch', async (t) => {
  const store = new EmbeddedStore()
  const { app, base } = await listen(t, { store })
  const w = await openWatch(base, '/api/v1/namespaces/default/pods?watch=true')
  const w2 = await openWatch(base, '/api/v1/pods?watch=true')
  t.equal(app.kplab.watches.activeCount, 2)
  t.equal(store.stats().watchers, 2)
  const closed = once(app.kplab.watches, 'closed')
  w.close()
  await closed
  const closed2 = once(app.kplab.watches, 'closed')
  w2.close()
  await closed2
  t.equal(app.kplab.watches.activeCount, 0)
  t.equal(store.stats().watchers, 0, 'no store watch leaked')
})

t.test('closing the app ends open watches', async (t) => {
  const { app, base } = await listen(t)
  const w = await openWatch(base, '/api/v1/namespaces/default/pods?watch=true')
  await app.close()
  await w.ended
  t.equal(app.kplab.watches.activeCount, 0)
})

t.test('convertEvent maps selector transitions', async (t) => {
  const match = (o: KubeObject): boolean => o.metadata.labels?.app === 'web'
  const web = { metadata: { name: 'a', labels: { app: 'web' } } }
  const db = { metadata: { name: 'a', labels: { app: 'db' } } }
  t.equal(convertEvent({ type: 'ADDED', key: 'k', object: db, resourceVersion: 2 }, match), undefined)
  t.equal(convertEvent({ type: 'MODIFIED', key: 'k', object: web, prevObject: db, resourceVersion: 2 }, match)?.type, 'ADDED')
  const gone = convertEvent({ type: 'MODIFIED', key: 'k', object: db, prevObject: web, resourceVersion: 7 }, match)
  t.equal(gone?.type, 'DELETED')
  t.equal(gone?.object.metadata.resourceVersion, '7', 'stamped with the revision of the change')
  t.equal(convertEvent({ type: 'DELETED', key: 'k', object: db, prevObject: db, resourceVersion: 2 }, match), undefined)
  t.equal(convertEvent({ type: 'DELETED', key: 'k', object: web, resourceVersion: 3 }, undefined)?.type, 'DELETED')
})
