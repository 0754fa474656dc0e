// What experiments and the demo ask of a running cluster through its API and its proxy: apply a
// workload, wait until a Service has ready endpoints, wait until a proxy serves a Service port with
// the expected algorithm, delete a workload and wait until its pods are gone. Waits watch the API
// (never poll it) and are bounded by the injected clock.
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../api/meta.js'
import { resourceByName, resourceForKind } from '../api/registry.js'
import type { Clock } from '../base/clock.js'
import { KplabError } from '../base/errors.js'
import type { RestClient } from '../client/rest-client.js'

const SLICES = resourceByName('endpointslices')!
const PODS = resourceByName('pods')!

/** Reads every object of a multi-document YAML manifest. */
export function readManifest(path: string): KubeObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object')
}

/** Creates each object in `namespace`; returns `kind/name` per object, in order. */
export async function createObjects(client: RestClient, objects: readonly KubeObject[], namespace: string): Promise<string[]> {
  const done: string[] = []
  for (const obj of objects) {
    const r = resourceForKind(obj.apiVersion ?? '', obj.kind ?? '')
    if (!r) throw new KplabError('ELAB', `${obj.kind} ${obj.metadata?.name}: kind ${obj.apiVersion}/${obj.kind} is not served by this API server`)
    await client.create(r, obj, { namespace })
    done.push(`${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/${obj.metadata.name}`)
  }
  return done
}

/** Ready endpoints over a Service's slices. */
function readyCount(slices: Iterable<KubeObject>): number {
  let n = 0
  for (const s of slices) n += ((s.endpoints as { conditions?: { ready?: boolean } }[] | undefined) ?? []).filter((e) => e.conditions?.ready).length
  return n
}

/** Watches the Service's EndpointSlices until exactly `want` endpoints are ready; returns the slices. */
export async function waitForReadyEndpoints(client: RestClient, namespace: string, service: string, want: number, clock: Clock, timeoutMs = 120_000): Promise<KubeObject[]> {
  const selector = `kubernetes.io/service-name=${service}`
  const ac = new AbortController()
  const timer = clock.setTimeout(() => ac.abort(new KplabError('ELAB', `Service ${namespace}/${service} did not have ${want} ready endpoints within ${timeoutMs / 1000} s; see the kubelet and controller-manager logs`)), timeoutMs)
  try {
    const list = await client.list(SLICES, { namespace, labelSelector: selector })
    const slices = new Map(list.items.map((s) => [s.metadata.name!, s]))
    if (readyCount(slices.values()) === want) return [...slices.values()]
    for await (const ev of client.watch(SLICES, { namespace, labelSelector: selector, resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) {
      if (ev.type === 'DELETED') slices.delete(ev.object.metadata.name!)
      else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') slices.set(ev.object.metadata.name!, ev.object)
      if (readyCount(slices.values()) === want) return [...slices.values()]
    }
    throw ac.signal.reason ?? new KplabError('ELAB', 'the EndpointSlice watch ended early')
  } finally {
    clock.clearTimeout(timer)
    ac.abort()
  }
}

/** Deletes objects (ignoring ones already gone) and waits until no pod matches `podSelector`. */
export async function deleteAndWait(client: RestClient, namespace: string, objects: readonly { kind: string; apiVersion: string; name: string }[], podSelector: string, clock: Clock, timeoutMs = 60_000): Promise<void> {
  for (const o of objects) {
    const r = resourceForKind(o.apiVersion, o.kind)
    if (r) await client.delete(r, namespace, o.name, { propagationPolicy: 'Background' }).catch(() => undefined)
  }
  const ac = new AbortController()
  const timer = clock.setTimeout(() => ac.abort(new KplabError('ELAB', `pods ${podSelector} did not stop within ${timeoutMs / 1000} s`)), timeoutMs)
  try {
    const list = await client.list(PODS, { namespace, labelSelector: podSelector })
    const left = new Set(list.items.map((p) => p.metadata.name!))
    if (left.size === 0) return
    for await (const ev of client.watch(PODS, { namespace, labelSelector: podSelector, resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) {
      if (ev.type === 'ADDED') left.add(ev.object.metadata.name!)
      if (ev.type === 'DELETED') left.delete(ev.object.metadata.name!)
      if (left.size === 0) return
    }
  } finally {
    clock.clearTimeout(timer)
    ac.abort()
  }
}

/** One row of a userspace proxy's /ports. */
export interface ProxyPortRow {
  servicePort: string
  proxyPort: number
  algorithm: string
  endpoints: number
  clusterIP?: string
  port?: number
  nodePort?: number
}

/** GETs a URL on loopback and returns the body (for the proxy's metrics server). */
export function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new KplabError('ELAB', `GET ${url}: HTTP ${res.statusCode}`))))
    })
      .on('error', reject)
      .end()
  })
}

/**
 * Waits until the proxy at metricsURL serves `servicePort` with `endpoints` endpoints and, when
 * given, `algorithm`. The proxy publishes no event stream, so this asks /ports every 50 ms.
 */
export async function waitForProxyPort(metricsURL: string, servicePort: string, want: { endpoints: number; algorithm?: string }, clock: Clock, timeoutMs = 30_000): Promise<ProxyPortRow> {
  const deadline = clock.now() + timeoutMs
  let last: ProxyPortRow | undefined
  for (;;) {
    const rows = JSON.parse(await httpGet(`${metricsURL}/ports`)) as ProxyPortRow[]
    last = rows.find((x) => x.servicePort === servicePort)
    if (last && last.endpoints === want.endpoints && (want.algorithm === undefined || last.algorithm === want.algorithm)) return last
    if (clock.now() > deadline) {
      const seen = last ? `it has ${last.endpoints} endpoints and algorithm ${last.algorithm}` : 'it has no listener for it'
      throw new KplabError('ELAB', `the proxy at ${metricsURL} does not serve ${servicePort} with ${want.endpoints} endpoints${want.algorithm ? ` and algorithm ${want.algorithm}` : ''} after ${timeoutMs / 1000} s (${seen}); see its log`)
    }
    await clock.sleep(50)
  }
}
