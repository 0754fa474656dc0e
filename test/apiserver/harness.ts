// Shared fixtures of the apiserver tests: an app on a memory EmbeddedStore and a FakeClock, a
// request helper for app.inject(), and small manifests.
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { FakeClock } from '../../src/base/clock.js'
import type { KubeObject } from '../../src/api/meta.js'
import { EmbeddedStore } from '../../src/storage/embedded/store.js'
import type { Store } from '../../src/storage/store.js'
import { buildApiServer, type BuildApiServerOptions } from '../../src/apiserver/app.js'

/** An app under test with its store and clock. */
export interface TestApp {
  app: FastifyInstance
  store: Store
  clock: FakeClock
}

/** Builds an app on a fresh memory store; closed on teardown. */
export async function newApp(t: Test, opts: Partial<BuildApiServerOptions> & { historySize?: number; store?: Store; reuseStore?: boolean } = {}): Promise<TestApp> {
  const clock = (opts.clock as FakeClock | undefined) ?? new FakeClock()
  const store = opts.store ?? new EmbeddedStore({ clock, historySize: opts.historySize })
  // reuseStore: an already open store of another app under test (restart scenarios); its owner closes it.
  if (!opts.reuseStore) await store.open()
  const app = await buildApiServer({ ...opts, store, clock })
  t.teardown(async () => {
    await app.close()
    if (!opts.reuseStore) await store.close()
  })
  return { app, store, clock }
}

/** A parsed response. */
export interface Res {
  status: number
  body: any
  text: string
  headers: Record<string, string | string[] | number | undefined>
}

/** Sends one request through app.inject(); objects are sent as JSON unless a content-type says otherwise. */
export async function call(app: FastifyInstance, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const h: Record<string, string> = { ...headers }
  let payload: string | undefined
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body)
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json'
  }
  const res = await app.inject({ method: method as 'GET', url, payload, headers: h })
  let parsed: unknown
  try {
    parsed = JSON.parse(res.body)
  } catch {
    parsed = undefined
  }
  return { status: res.statusCode, body: parsed, text: res.body, headers: res.headers }
}

/** A Deployment manifest. */
export function deployment(name: string, replicas = 1, labels: Record<string, string> = { app: name }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } },
    },
  }
}

/** A Service manifest (ClusterIP unless type given). */
export function service(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } }
}

/** A Pod manifest. */
export function pod(name: string, labels: Record<string, string> = { app: name }, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'main', image: 'busybox' }], ...spec } }
}
