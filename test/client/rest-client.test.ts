import t, { type Test } from 'tap'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { StatusError, invalid, field } from '../../src/api/errors.js'
import type { KubeObject, WatchEvent } from '../../src/api/meta.js'
import { resourceByName } from '../../src/api/registry.js'
import { RestClient, decodeError } from '../../src/client/rest-client.js'
import { isTable } from '../../src/client/table.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { startKplabApiServer } from '../support/kplab-apiserver.js'

const here = dirname(fileURLToPath(import.meta.url))
const tlsDir = resolve(here, '..', 'fixtures', 'client-tls')
const pods = resourceByName('pods')!
const deployments = resourceByName('deploy')!
const nodes = resourceByName('nodes')!

async function setup(t: Test): Promise<{ server: FakeApiServer; client: RestClient }> {
  const server = await FakeApiServer.start()
  const client = new RestClient({ server: server.url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 'test' })
  t.teardown(async () => {
    client.close()
    await server.close()
  })
  return { server, client }
}

const pod = (name: string, ns = 'default', labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { nodeName: 'node-1' } })

t.test('paths follow the Kubernetes REST layout', async (t) => {
  const c = new RestClient({ server: 'https://h:6443/', insecureSkipTLSVerify: true, namespace: 'default', contextName: 'x' })
  t.equal(c.resourcePath(pods, 'default'), '/api/v1/namespaces/default/pods')
  t.equal(c.resourcePath(pods, undefined), '/api/v1/pods')
  t.equal(c.resourcePath(deployments, 'a', 'web', 'scale'), '/apis/apps/v1/namespaces/a/deployments/web/scale')
  t.equal(c.resourcePath(nodes, 'ignored', 'node-1'), '/api/v1/nodes/node-1', 'cluster-scoped: no namespace segment')
  c.close()
})

t.test('create, get, list with selectors, update, patch, delete', async (t) => {
  const { server, client } = await setup(t)
  const created = await client.create(pods, pod('a', 'default', { app: 'web' }))
  t.equal(created.metadata.name, 'a')
  t.ok(created.metadata.resourceVersion)
  await client.create(pods, pod('b', 'default', { app: 'db' }))
  await client.create(pods, pod('c', 'other', { app: 'web' }))

  const got = await client.get(pods, 'default', 'a')
  t.equal(got.metadata.uid, created.metadata.uid)

  const web = await client.list(pods, { namespace: 'default', labelSelector: 'app=web' })
  t.same(web.items.map((p) => p.metadata.name), ['a'])
  t.equal(web.metadata.resourceVersion, server.resourceVersion)
  const all = await client.list(pods, {})
  t.same(all.items.map((p) => p.metadata.name).sort(), ['a', 'b', 'c'], 'no namespace lists across namespaces')
  const byField = await client.list(pods, { fieldSelector: 'metadata.namespace=other' })
  t.same(byField.items.map((p) => p.metadata.name), ['c'])

  const updated = await client.update(pods, { ...got, metadata: { ...got.metadata, labels: { app: 'web', v: '2' } } })
  t.equal(updated.metadata.labels?.v, '2')
  await t.rejects(client.update(pods, got), { code: 409, reason: 'Conflict' }, 'stale resourceVersion → 409')

  const patched = await client.patch(pods, 'default', 'a', { metadata: { labels: { v: '3' } } }, 'application/merge-patch+json')
  t.equal(patched.metadata.labels?.v, '3')
  const last = server.requests.at(-1)!
  t.equal(last.headers['content-type'], 'application/merge-patch+json')

  await client.delete(pods, 'default', 'a', { propagationPolicy: 'Background' })
  t.same(JSON.parse(server.requests.at(-1)!.body), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' })
  await t.rejects(client.get(pods, 'default', 'a'), { code: 404, reason: 'NotFound', message: 'pods "a" not found' })
})

t.test('server Status errors keep code, reason and causes', async (t) => {
  const { server, client } = await setup(t)
  const services = resourceByName('svc')!
  server.validate = (r, obj) => invalid(r, obj.metadata.name!, [field.invalid('spec.ports[0].port', 0, 'must be between 1 and 65535, inclusive')])
  const err = await client.create(services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 0 }] } }).catch((e: unknown) => e)
  t.ok(err instanceof StatusError)
  const se = err as StatusError
  t.equal(se.code, 422)
  t.equal(se.reason, 'Invalid')
  t.same(se.details?.causes?.[0]?.field, 'spec.ports[0].port')
  await t.rejects(client.create(pods, pod('x')), { code: 422 })
})

t.test('answers without a Status get upstream generic messages', async (t) => {
  const e404 = decodeError(404, '', 'GET', pods, 'nope')
  t.equal(e404.message, 'the server could not find the requested resource (get pods nope)')
  t.equal(e404.reason, 'NotFound')
  t.equal(decodeError(500, 'boom', 'GET', pods).message, 'an error on the server ("boom") has prevented the request from succeeding (get pods)')
  t.equal(decodeError(409, '', 'POST').reason, 'AlreadyExists')
  t.equal(decodeError(409, '', 'PUT').reason, 'Conflict')
})

t.test('connection refused names the server', async (t) => {
  const { server, client } = await setup(t)
  await server.close()
  await t.rejects(client.get(pods, 'default', 'a'), { message: /The connection to the server 127\.0\.0\.1:\d+ was refused/ })
})

t.test('listAll follows continue', async (t) => {
  const { server, client } = await setup(t)
  for (let i = 0; i < 7; i++) await client.create(pods, pod(`p${i}`))
  const list = await client.listAll(pods, { namespace: 'default', limit: 3 })
  t.equal(list.items.length, 7)
  t.equal(list.metadata.continue, undefined)
  const lists = server.requests.filter((r) => r.method === 'GET')
  t.equal(lists.length, 3, 'three pages of 3')
  t.match(lists[1]!.url, /continue=3/)
})

t.test('table() asks for kubectl Table output', async (t) => {
  const { server, client } = await setup(t)
  await client.create(pods, pod('a'))
  const table = await client.table(pods, { namespace: 'default' })
  t.ok(isTable(table))
  t.match(server.requests.at(-1)!.headers.accept, /as=Table;v=v1;g=meta\.k8s\.io/)
  const one = await client.table(pods, { namespace: 'default', name: 'a' })
  t.ok(isTable(one) && one.rows.length === 1)
})

t.test('watch yields events and ends cleanly on abort', async (t) => {
  const { server, client } = await setup(t)
  const ac = new AbortController()
  const seen: WatchEvent[] = []
  const opened = once(server, 'watch')
  const done = (async () => {
    for await (const ev of client.watch(pods, { namespace: 'default', resourceVersion: server.resourceVersion, signal: ac.signal })) {
      seen.push(ev)
      if (seen.length === 2) ac.abort()
    }
  })()
  const [q] = (await opened) as [URLSearchParams]
  t.equal(q.get('watch'), 'true')
  server.put(pods, pod('w1'))
  server.put(pods, pod('w2'))
  await done
  t.same(seen.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w1'], ['ADDED', 'w2']])
})

t.test('watch ends when the server ends the stream, and throws when the connection drops', async (t) => {
  const { server, client } = await setup(t)
  const opened = once(server, 'watch')
  const ended = (async () => {
    const out: string[] = []
    for await (const ev of client.watch(pods, { resourceVersion: server.resourceVersion })) out.push(ev.type)
    return out
  })()
  await opened
  server.bookmark(pods)
  server.endWatches()
  t.same(await ended, ['BOOKMARK'])

  const opened2 = once(server, 'watch')
  const dropped = (async () => {
    for await (const _ of client.watch(pods, { resourceVersion: server.resourceVersion })) void _
  })()
  await opened2
  server.dropWatches()
  await t.rejects(dropped)
})

t.test('https with a CA and a bearer token', async (t) => {
  const key = readFileSync(resolve(tlsDir, 'server.key'))
  const cert = readFileSync(resolve(tlsDir, 'server.crt'))
  const server = await FakeApiServer.start({ tls: { key, cert }, token: 's3cr3t' })
  const good = new RestClient({ server: server.url, ca: cert, token: 's3cr3t', insecureSkipTLSVerify: false, namespace: 'default', contextName: 'x' })
  const badToken = new RestClient({ server: server.url, ca: cert, token: 'wrong', insecureSkipTLSVerify: false, namespace: 'default', contextName: 'x' })
  const noCa = new RestClient({ server: server.url, token: 's3cr3t', insecureSkipTLSVerify: false, namespace: 'default', contextName: 'x' })
  const insecure = new RestClient({ server: server.url, token: 's3cr3t', insecureSkipTLSVerify: true, namespace: 'default', contextName: 'x' })
  t.teardown(async () => {
    for (const c of [good, badToken, noCa, insecure]) c.close()
    await server.close()
  })
  t.same((await good.list(pods)).items, [])
  t.equal(server.requests.at(-1)!.headers.authorization, 'Bearer s3cr3t')
  await t.rejects(badToken.list(pods), { code: 401, reason: 'Unauthorized' })
  await t.rejects(noCa.list(pods), { code: /SELF_SIGNED/ })
  t.same((await insecure.list(pods)).items, [])
})

t.test('against the kplab API server: CRUD, 422 causes, paging, watch', async (t) => {
  const { url } = await startKplabApiServer(t)
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 'x' })
  t.teardown(() => client.close())
  const services = resourceByName('svc')!
  const svc = await client.create(services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } })
  t.match(svc.spec, { clusterIP: /^10\.9[6-9]\./ }, 'server defaulting and allocation visible')
  const err = (await client.create(services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad' }, spec: { ports: [{ port: 0 }] } }).catch((e: unknown) => e)) as StatusError
  t.equal(err.code, 422)
  t.match(err.details?.causes, [{ field: 'spec.ports[0].port' }])
  await t.rejects(client.get(services, 'default', 'nope'), { code: 404, reason: 'NotFound' })

  for (const n of ['a', 'b', 'c']) await client.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: n }, spec: { containers: [{ name: 'c', image: 'i' }] } })
  const all = await client.listAll(pods, { namespace: 'default', limit: 2 })
  t.same(all.items.map((p) => p.metadata.name).sort(), ['a', 'b', 'c'])

  const ac = new AbortController()
  const events: string[] = []
  const watching = (async () => {
    for await (const ev of client.watch(pods, { namespace: 'default', resourceVersion: all.metadata.resourceVersion, signal: ac.signal })) {
      events.push(`${ev.type} ${ev.object.metadata.name}`)
      if (events.length === 2) ac.abort()
    }
  })()
  const live = await client.get(pods, 'default', 'a')
  await client.patch(pods, 'default', 'a', { metadata: { labels: { x: '1' } } }, 'application/merge-patch+json')
  await client.delete(pods, 'default', 'b', { gracePeriodSeconds: 0 })
  await watching
  t.equal(events[0], 'MODIFIED a')
  t.match(events[1], /^(MODIFIED|DELETED) b$/)
  t.ok(live.metadata.resourceVersion)
})

t.test('object verbs default to the client namespace', async (t) => {
  const { server, client } = await setup(t)
  await client.create(pods, pod('d', 'default'))
  t.equal((await client.get(pods, undefined, 'd')).metadata.namespace, 'default')
  t.equal(server.requests.at(-1)!.url, '/api/v1/namespaces/default/pods/d')
})
