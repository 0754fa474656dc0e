import t from 'tap'
import { RESOURCES, groupVersion, type ResourceInfo } from '../../src/api/registry.js'
import type { KubeObject } from '../../src/api/meta.js'
import { TokenAuthenticator } from '../../src/apiserver/auth/tokens.js'
import { EtcdStore } from '../../src/storage/etcd/store.js'
import { FakeClock } from '../../src/base/clock.js'
import { hasCommand, requireCapability } from '../support/env.js'
import { startEtcd } from '../support/etcd.js'
import { call, deployment, newApp, pod, service } from './harness.js'

const byKind = (k: string): ResourceInfo => RESOURCES.find((r) => r.kind === k)!

/** The REST path of a resource collection or object, as upstream lays it out. */
function pathFor(r: ResourceInfo, ns: string | undefined, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`
  const coll = r.namespaced ? `${base}/namespaces/${ns}/${r.plural}` : `${base}/${r.plural}`
  return name ? `${coll}/${name}` : coll
}

const MANIFESTS: Record<string, KubeObject> = {
  Namespace: { metadata: { name: 'team-a' } },
  Pod: pod('web-0'),
  Service: service('web'),
  Endpoints: { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80 }] }] },
  Node: { metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24' } },
  Event: { metadata: { name: 'web-0.1' }, involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default' }, reason: 'Started', message: 'started', type: 'Normal' },
  Deployment: deployment('web'),
  ReplicaSet: { metadata: { name: 'web-1' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx' }] } } } },
  DaemonSet: { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'main', image: 'agent' }] } } } },
  EndpointSlice: { metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.5'] }], ports: [{ port: 80, protocol: 'TCP' }] },
  Lease: { metadata: { name: 'node-1' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } },
}

t.test('CRUD works for every served kind', async (t) => {
  const { app } = await newApp(t)
  for (const r of RESOURCES) {
    await t.test(r.kind, async (t) => {
      const manifest = MANIFESTS[r.kind]
      t.ok(manifest, `a manifest exists for ${r.kind}`)
      const ns = r.namespaced ? 'default' : undefined
      const name = manifest!.metadata.name!
      const created = await call(app, 'POST', pathFor(r, ns), { apiVersion: groupVersion(r), kind: r.kind, ...manifest })
      t.equal(created.status, 201, JSON.stringify(created.body))
      t.match(created.body, { apiVersion: groupVersion(r), kind: r.kind, metadata: { name, generation: 1 } })
      t.match(created.body.metadata.uid, /^[0-9a-f-]{36}$/)
      t.equal(created.body.metadata.creationTimestamp, '2026-01-01T00:00:00Z', 'creationTimestamp comes from the injected clock')
      if (r.namespaced) t.equal(created.body.metadata.namespace, 'default')

      const got = await call(app, 'GET', pathFor(r, ns, name))
      t.equal(got.status, 200)
      t.equal(got.body.metadata.uid, created.body.metadata.uid)

      const list = await call(app, 'GET', pathFor(r, ns))
      t.equal(list.status, 200)
      t.equal(list.body.kind, r.listKind)
      t.ok(list.body.metadata.resourceVersion, 'list carries metadata.resourceVersion')
      t.ok(list.body.items.some((i: KubeObject) => i.metadata.name === name))

      const replaced = await call(app, 'PUT', pathFor(r, ns, name), { ...got.body, metadata: { ...got.body.metadata, labels: { changed: 'yes' } } })
      t.equal(replaced.status, 200, JSON.stringify(replaced.body))
      t.match(replaced.body.metadata.labels, { changed: 'yes' })
      t.notOk('app' in replaced.body.metadata.labels, 'PUT replaces the labels')
      t.not(replaced.body.metadata.resourceVersion, got.body.metadata.resourceVersion)

      const patched = await call(app, 'PATCH', pathFor(r, ns, name), { metadata: { labels: { tier: 'x' } } }, { 'content-type': 'application/merge-patch+json' })
      t.equal(patched.status, 200, JSON.stringify(patched.body))
      t.match(patched.body.metadata.labels, { changed: 'yes', tier: 'x' })

      const deleted = await call(app, 'DELETE', pathFor(r, ns, name), { propagationPolicy: 'Background' })
      t.equal(deleted.status, 200, JSON.stringify(deleted.body))
      const gone = await call(app, 'GET', pathFor(r, ns, name))
      t.equal(gone.status, 404)
      t.match(gone.body, { kind: 'Status', reason: 'NotFound', code: 404 })
    })
  }
})

t.test('system namespaces and the kubernetes Service exist after start', async (t) => {
  const { app } = await newApp(t, { securePort: 7443, advertiseAddress: '192.168.56.10' })
  const nss = await call(app, 'GET', '/api/v1/namespaces')
  t.same(nss.body.items.map((n: KubeObject) => n.metadata.name).sort(), ['default', 'kube-node-lease', 'kube-public', 'kube-system'])
  const svc = await call(app, 'GET', '/api/v1/namespaces/default/services/kubernetes')
  t.equal(svc.body.spec.clusterIP, '10.96.0.1')
  t.match(svc.body.spec.ports, [{ name: 'https', port: 443, targetPort: 7443 }])
  const slice = await call(app, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')
  t.equal(slice.body.metadata.labels['kubernetes.io/service-name'], 'kubernetes')
  t.same(slice.body.endpoints[0].addresses, ['192.168.56.10'])
  const del = await call(app, 'DELETE', '/api/v1/namespaces/default')
  t.equal(del.status, 403, 'default may not be deleted')
})

t.test('create errors: AlreadyExists, namespace mismatch, missing namespace, generateName', async (t) => {
  const { app } = await newApp(t)
  t.equal((await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))).status, 201)
  const dup = await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))
  t.equal(dup.status, 409)
  t.match(dup.body, { reason: 'AlreadyExists', message: 'deployments.apps "web" already exists', details: { name: 'web', group: 'apps', kind: 'deployments' } })
  const mismatch = await call(app, 'POST', '/api/v1/namespaces/default/pods', { ...pod('p'), metadata: { name: 'p', namespace: 'other' } })
  t.equal(mismatch.status, 400)
  t.match(mismatch.body.message, /does not match the namespace/)
  const noNs = await call(app, 'POST', '/api/v1/namespaces/nope/pods', pod('p'))
  t.equal(noNs.status, 404)
  t.match(noNs.body.message, /namespaces "nope" not found/)
  const gen = await call(app, 'POST', '/api/v1/namespaces/default/pods', { ...pod('x'), metadata: { generateName: 'web-' } })
  t.equal(gen.status, 201)
  t.match(gen.body.metadata.name, /^web-[a-z0-9]{5}$/)
  const noName = await call(app, 'POST', '/api/v1/namespaces/default/pods', { ...pod('x'), metadata: {} })
  t.equal(noName.status, 422)
  t.match(noNoNameCause(noName.body), 'metadata.name')
})

function noNoNameCause(body: { details?: { causes?: { field: string }[] } }): string {
  return body.details?.causes?.[0]?.field ?? ''
}

t.test('PUT with a stale resourceVersion is a 409 Conflict; generation moves on spec change only', async (t) => {
  const { app } = await newApp(t)
  const url = '/apis/apps/v1/namespaces/default/deployments/web'
  const v1 = (await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 1))).body
  const v2 = await call(app, 'PUT', url, { ...v1, spec: { ...v1.spec, replicas: 3 } })
  t.equal(v2.status, 200)
  t.equal(v2.body.metadata.generation, 2, 'spec change bumps generation')
  const stale = await call(app, 'PUT', url, { ...v1, spec: { ...v1.spec, replicas: 5 } })
  t.equal(stale.status, 409)
  t.match(stale.body, { reason: 'Conflict', message: /Operation cannot be fulfilled on deployments.apps "web": the object has been modified/ })
  const labelOnly = await call(app, 'PUT', url, { ...v2.body, metadata: { ...v2.body.metadata, labels: { a: 'b' } } })
  t.equal(labelOnly.body.metadata.generation, 2, 'metadata change keeps generation')
  const same = await call(app, 'PUT', url, labelOnly.body)
  t.equal(same.body.metadata.resourceVersion, labelOnly.body.metadata.resourceVersion, 'a no-op update writes nothing')
  const wrongName = await call(app, 'PUT', url, { ...v2.body, metadata: { ...v2.body.metadata, name: 'other' } })
  t.equal(wrongName.status, 400)
})

t.test('status is kept by main-resource writes and only changed through /status', async (t) => {
  const { app } = await newApp(t)
  const url = '/apis/apps/v1/namespaces/default/deployments/web'
  const created = await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', { ...deployment('web'), status: { replicas: 9 } })
  t.notOk(created.body.status?.replicas, 'status from a create is dropped')
  const st = await call(app, 'PATCH', `${url}/status`, { status: { replicas: 2, observedGeneration: 1 } }, { 'content-type': 'application/merge-patch+json' })
  t.equal(st.status, 200)
  t.equal(st.body.status.replicas, 2)
  const main = await call(app, 'PATCH', url, { spec: { replicas: 4 }, status: { replicas: 7 } }, { 'content-type': 'application/merge-patch+json' })
  t.equal(main.body.status.replicas, 2, 'main-resource patch leaves status alone')
  t.equal(main.body.spec.replicas, 4)
  const specViaStatus = await call(app, 'PUT', `${url}/status`, { ...main.body, spec: { ...main.body.spec, replicas: 1 } })
  t.equal(specViaStatus.body.spec.replicas, 4, 'status update leaves spec alone')
  const got = await call(app, 'GET', `${url}/status`)
  t.equal(got.body.kind, 'Deployment')
})

t.test('422 Invalid carries field causes', async (t) => {
  const { app } = await newApp(t)
  const bad = await call(app, 'POST', '/api/v1/namespaces/default/services', service('web', { ports: [{ port: 0 }] }))
  t.equal(bad.status, 422)
  t.equal(bad.body.reason, 'Invalid')
  t.equal(bad.body.details.kind, 'Service')
  t.ok(bad.body.details.causes.some((c: { field: string }) => c.field === 'spec.ports[0].port'), JSON.stringify(bad.body))
  const list = await call(app, 'GET', '/api/v1/namespaces/default/services')
  t.equal(list.body.items.length, 1, 'only the kubernetes Service: nothing written')
})

t.test('label and field selectors, and pagination with continue', async (t) => {
  const { app } = await newApp(t)
  for (let i = 0; i < 7; i++) {
    const labels = { app: i % 2 ? 'odd' : 'even' }
    const spec = i < 3 ? { nodeName: 'node-1' } : {}
    t.equal((await call(app, 'POST', '/api/v1/namespaces/default/pods', pod(`p${i}`, labels, spec))).status, 201)
  }
  const names = (b: { items: KubeObject[] }): string[] => b.items.map((i) => i.metadata.name!)
  t.same(names((await call(app, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dodd')).body), ['p1', 'p3', 'p5'])
  t.same(names((await call(app, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%20in%20(odd)')).body), ['p1', 'p3', 'p5'])
  t.same(names((await call(app, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1')).body), ['p0', 'p1', 'p2'])
  t.same(names((await call(app, 'GET', '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dp4')).body), ['p4'])
  t.equal((await call(app, 'GET', '/api/v1/namespaces/default/pods?labelSelector=%3D%3D%3D')).status, 400, 'malformed selector is a 400')

  const seen: string[] = []
  let url = '/api/v1/namespaces/default/pods?limit=3'
  let firstRV: string | undefined
  for (let pages = 0; pages < 10; pages++) {
    const page = await call(app, 'GET', url)
    t.equal(page.status, 200)
    firstRV ??= page.body.metadata.resourceVersion
    t.equal(page.body.metadata.resourceVersion, firstRV, 'every page reports the first page\'s revision')
    seen.push(...names(page.body))
    if (!page.body.metadata.continue) break
    url = `/api/v1/namespaces/default/pods?limit=3&continue=${encodeURIComponent(page.body.metadata.continue)}`
  }
  t.same(seen, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'])
  const sel = await call(app, 'GET', '/api/v1/namespaces/default/pods?limit=2&labelSelector=app%3Deven')
  t.same(names(sel.body), ['p0', 'p2'], 'the limit counts matching items')
  t.ok(sel.body.metadata.continue)
  t.equal((await call(app, 'GET', '/api/v1/namespaces/default/pods?continue=garbage')).status, 400)
})

t.test('an expired continue token is a 410', async (t) => {
  const { app } = await newApp(t, { historySize: 2 })
  for (let i = 0; i < 3; i++) await call(app, 'POST', '/api/v1/namespaces/default/pods', pod(`p${i}`))
  const page = await call(app, 'GET', '/api/v1/namespaces/default/pods?limit=1')
  for (let i = 0; i < 5; i++) await call(app, 'PATCH', '/api/v1/namespaces/default/pods/p0', { metadata: { labels: { n: String(i) } } }, { 'content-type': 'application/merge-patch+json' })
  const next = await call(app, 'GET', `/api/v1/namespaces/default/pods?limit=1&continue=${encodeURIComponent(page.body.metadata.continue)}`)
  t.equal(next.status, 410)
  t.equal(next.body.reason, 'Expired')
})

t.test('dryRun=All validates but writes nothing', async (t) => {
  const { app, store } = await newApp(t)
  const before = await store.currentRevision()
  const dry = await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments?dryRun=All', deployment('web'))
  t.equal(dry.status, 201)
  t.equal(dry.body.metadata.name, 'web')
  t.equal(await store.currentRevision(), before, 'no write')
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).status, 404)
  await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))
  const rev = await store.currentRevision()
  const patch = await call(app, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web?dryRun=All', { spec: { replicas: 9 } }, { 'content-type': 'application/merge-patch+json' })
  t.equal(patch.body.spec.replicas, 9)
  const del = await call(app, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/web', { dryRun: ['All'] })
  t.equal(del.status, 200)
  t.equal(await store.currentRevision(), rev, 'neither the patch nor the delete wrote')
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).body.spec.replicas, 1)
  const svc = await call(app, 'POST', '/api/v1/namespaces/default/services?dryRun=All', service('dry', { clusterIP: '10.96.0.50' }))
  t.equal(svc.status, 201)
  const real = await call(app, 'POST', '/api/v1/namespaces/default/services', service('real', { clusterIP: '10.96.0.50' }))
  t.equal(real.status, 201, 'a dry-run create releases what it allocated')
})

t.test('fieldValidation Strict, Warn and Ignore', async (t) => {
  const { app } = await newApp(t)
  const body = { ...deployment('web'), spec: { ...(deployment('web').spec as object), replicaz: 3 } }
  const strict = await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict', body)
  t.equal(strict.status, 400)
  t.equal(strict.body.message, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"')
  const warn = await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Warn', body)
  t.equal(warn.status, 201)
  t.match(String(warn.headers.warning), /299 - "unknown field \\?"spec.replicaz\\?""/)
  t.notOk('replicaz' in warn.body.spec, 'unknown fields are dropped')
  await call(app, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/web')
  const ignore = await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Ignore', body)
  t.equal(ignore.status, 201)
  t.notOk(ignore.headers.warning)
  t.equal((await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Loud', body)).status, 400)
})

t.test('patch types: merge, json, strategic, apply', async (t) => {
  const { app } = await newApp(t)
  const url = '/apis/apps/v1/namespaces/default/deployments/web'
  await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))
  const json = await call(app, 'PATCH', url, [{ op: 'replace', path: '/spec/replicas', value: 2 }], { 'content-type': 'application/json-patch+json' })
  t.equal(json.body.spec.replicas, 2)
  const smp = await call(app, 'PATCH', url, { spec: { template: { spec: { containers: [{ name: 'main', image: 'nginx:1.28' }] } } } }, { 'content-type': 'application/strategic-merge-patch+json' })
  t.equal(smp.status, 200, JSON.stringify(smp.body))
  t.equal(smp.body.spec.template.spec.containers.length, 1, 'containers merge by name')
  t.equal(smp.body.spec.template.spec.containers[0].image, 'nginx:1.28')
  const apply = await call(app, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/ssa?fieldManager=kubectl', JSON.stringify(deployment('ssa')), { 'content-type': 'application/apply-patch+yaml' })
  t.equal(apply.status, 201, 'server-side apply creates a missing object')
  const pinned = await call(app, 'PATCH', url, { metadata: { resourceVersion: '1' }, spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' })
  t.equal(pinned.status, 409, 'a patch that pins an old resourceVersion conflicts')
  const badType = await call(app, 'PATCH', url, { spec: {} }, { 'content-type': 'application/json' })
  t.equal(badType.status, 415)
  const missing = await call(app, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/nope', { spec: {} }, { 'content-type': 'application/merge-patch+json' })
  t.equal(missing.status, 404)
})

t.test('parallel patches all land (retry on conflict)', async (t) => {
  const { app } = await newApp(t)
  const url = '/api/v1/namespaces/default/pods/p'
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('p'))
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => call(app, 'PATCH', url, { metadata: { labels: { [`l${i}`]: 'x' } } }, { 'content-type': 'application/merge-patch+json' })),
  )
  t.ok(results.every((r) => r.status === 200))
  const got = await call(app, 'GET', url)
  t.equal(Object.keys(got.body.metadata.labels).filter((k) => k.startsWith('l')).length, 20)
})

t.test('bodies: protobuf 415, malformed JSON 400, too large 413, no Content-Type read as JSON', async (t) => {
  const { app } = await newApp(t, { bodyLimit: 4096 })
  const proto = await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', 'k8s\x00', { 'content-type': 'application/vnd.kubernetes.protobuf' })
  t.equal(proto.status, 415)
  t.match(proto.body, { kind: 'Status', reason: 'UnsupportedMediaType', message: /--dry-run=client -o yaml \| kubectl apply -f -/ })
  const bad = await call(app, 'POST', '/api/v1/namespaces/default/pods', '{"metadata":', { 'content-type': 'application/json' })
  t.equal(bad.status, 400)
  t.equal(bad.body.kind, 'Status')
  const big = await call(app, 'POST', '/api/v1/namespaces/default/pods', { ...pod('big'), metadata: { name: 'big', annotations: { x: 'y'.repeat(5000) } } })
  t.equal(big.status, 413)
  t.equal(big.body.reason, 'RequestEntityTooLarge')
  const text = await call(app, 'POST', '/api/v1/namespaces/default/pods', 'hello', { 'content-type': 'text/plain' })
  t.equal(text.status, 415)
  await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 2))
  const res = await app.inject({ method: 'PUT', url: '/apis/apps/v1/namespaces/default/deployments/web/scale', payload: JSON.stringify({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: 4 } }) })
  t.equal(res.headers['content-type']?.toString().split(';')[0], 'application/json')
  t.equal(res.statusCode, 200, res.body)
  t.equal(JSON.parse(res.body).spec.replicas, 4)
})

t.test('every response carries Cache-Control: no-cache, private; unknown paths are a 404 Status', async (t) => {
  const { app } = await newApp(t)
  for (const url of ['/version', '/api/v1/namespaces', '/api/v1/namespaces/default/pods/nope', '/nope', '/healthz']) {
    const res = await call(app, 'GET', url)
    t.equal(res.headers['cache-control'], 'no-cache, private', url)
  }
  const unknown = await call(app, 'GET', '/apis/apps/v1/namespaces/default/widgets')
  t.equal(unknown.status, 404)
  t.equal(unknown.body.kind, 'Status')
  t.equal((await call(app, 'GET', '/nope')).body.reason, 'NotFound')
  t.equal((await call(app, 'POST', '/api/v1/namespaces/default/pods/x')).status, 405)
})

t.test('Table responses for list and get', async (t) => {
  const { app } = await newApp(t)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('p1'))
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'
  const list = await call(app, 'GET', '/api/v1/namespaces/default/pods?limit=500', undefined, { accept })
  t.equal(list.body.kind, 'Table')
  t.ok(list.body.metadata.resourceVersion)
  t.equal(list.body.rows.length, 1)
  t.match(String(list.headers['content-type']), /as=Table/)
  const one = await call(app, 'GET', '/api/v1/namespaces/default/pods/p1', undefined, { accept })
  t.equal(one.body.kind, 'Table')
  t.equal(one.body.rows.length, 1)
})

t.test('token auth: 401 without or with a wrong token, 200 with it; health and version stay open', async (t) => {
  const tokens = TokenAuthenticator.fromCsv('s3cr3t,admin,admin,"system:masters"\n')
  const { app } = await newApp(t, { tokens })
  t.equal((await call(app, 'GET', '/api/v1/namespaces')).status, 401)
  const wrong = await call(app, 'GET', '/api/v1/namespaces', undefined, { authorization: 'Bearer nope' })
  t.equal(wrong.status, 401)
  t.match(wrong.body, { kind: 'Status', reason: 'Unauthorized', code: 401 })
  t.equal((await call(app, 'GET', '/api/v1/namespaces', undefined, { authorization: 'Bearer s3cr3t' })).status, 200)
  t.equal((await call(app, 'GET', '/metrics')).status, 401, 'metrics need a token')
  for (const open of ['/healthz', '/livez', '/readyz', '/version']) t.equal((await call(app, 'GET', open)).status, 200, open)
})

t.test('discovery, openapi and version', async (t) => {
  const { app } = await newApp(t)
  const agg = await call(app, 'GET', '/apis', undefined, { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' })
  t.equal(agg.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
  t.equal(agg.body.kind, 'APIGroupDiscoveryList')
  t.equal((await call(app, 'GET', '/api')).body.kind, 'APIVersions')
  t.equal((await call(app, 'GET', '/apis/apps/v1')).body.kind, 'APIResourceList')
  t.match((await call(app, 'GET', '/version')).body, { major: '1', minor: '32' })
  t.ok((await call(app, 'GET', '/openapi/v3')).body.paths['apis/apps/v1'])
  t.equal((await call(app, 'GET', '/openapi/v2')).status, 404)
})

t.test('metrics count requests by verb, resource and code', async (t) => {
  const { app } = await newApp(t)
  await call(app, 'GET', '/api/v1/namespaces/default/pods')
  await call(app, 'GET', '/api/v1/namespaces/default/pods/nope')
  const m = await call(app, 'GET', '/metrics')
  t.match(m.text, /apiserver_request_total\{verb="LIST",resource="pods",code="200"\} 1/)
  t.match(m.text, /apiserver_request_total\{verb="GET",resource="pods",code="404"\} 1/)
  t.match(m.text, /apiserver_request_duration_seconds_bucket/)
})

t.test('the same API on the etcd store', async (t) => {
  if (!requireCapability(t, hasCommand('etcd'), 'etcd is not installed')) return
  const { endpoint } = await startEtcd(t)
  const clock = new FakeClock()
  const { app } = await newApp(t, { store: new EtcdStore({ endpoints: [endpoint], clock }), clock })
  const created = await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))
  t.equal(created.status, 201)
  t.equal((await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))).status, 409)
  const stale = await call(app, 'PUT', '/apis/apps/v1/namespaces/default/deployments/web', { ...created.body, spec: { ...created.body.spec, replicas: 2 } })
  t.equal(stale.status, 200)
  t.equal((await call(app, 'PUT', '/apis/apps/v1/namespaces/default/deployments/web', { ...created.body, spec: { ...created.body.spec, replicas: 3 } })).status, 409)
  const patches = await Promise.all(
    Array.from({ length: 10 }, (_, i) => call(app, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { metadata: { labels: { [`l${i}`]: 'x' } } }, { 'content-type': 'application/merge-patch+json' })),
  )
  t.ok(patches.every((p) => p.status === 200), 'parallel patches land')
  for (let i = 0; i < 5; i++) await call(app, 'POST', '/api/v1/namespaces/default/pods', pod(`p${i}`))
  const seen: string[] = []
  let url = '/api/v1/namespaces/default/pods?limit=2'
  for (let n = 0; n < 5; n++) {
    const page = await call(app, 'GET', url)
    seen.push(...page.body.items.map((i: KubeObject) => i.metadata.name))
    if (!page.body.metadata.continue) break
    url = `/api/v1/namespaces/default/pods?limit=2&continue=${encodeURIComponent(page.body.metadata.continue)}`
  }
  t.same(seen, ['p0', 'p1', 'p2', 'p3', 'p4'])
  const svcs = await Promise.all(Array.from({ length: 20 }, (_, i) => call(app, 'POST', '/api/v1/namespaces/default/services', service(`s${i}`))))
  t.equal(new Set(svcs.map((r) => r.body.spec.clusterIP)).size, 20)
})
