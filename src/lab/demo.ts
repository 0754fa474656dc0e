// `kplab demo`: a cluster comes up, a Deployment and two Services are applied, and the demo shows
// the chain from Service to endpoints to kube-proxy's rules to traffic spread over the pods.
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../api/meta.js'
import { resourceByName, resourceForKind } from '../api/registry.js'
import type { Clock } from '../base/clock.js'
import { KplabError } from '../base/errors.js'
import { loadKubeconfig } from '../client/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'
import { explainRules } from '../proxy/iptables/explain.js'
import { generateRules } from '../proxy/iptables/generate.js'
import { stateFromObjects } from '../proxy/iptables/input.js'
import { startLocalCluster, type LocalCluster } from './local-cluster.js'
import type { CliLauncher } from './supervisor.js'

/** Options of the demo. */
export interface DemoOptions {
  stateDir: string
  manifest: string
  launcher: CliLauncher
  clock: Clock
  out: { write(s: string): unknown }
  nodes?: number
  requests?: number
  /** Leave the cluster running and print how to reach it. */
  keep?: boolean
  /** Second octet of the pod network (see LocalClusterOptions). */
  podNetworkOctet?: number
  /** Why this mode was chosen (printed first). */
  modeReason: string
}

const SERVICES = resourceByName('services')!
const SLICES = resourceByName('endpointslices')!
const PODS = resourceByName('pods')!

/** Runs the demo; resolves when done (or, with keep, once everything is shown). */
export async function runDemo(opts: DemoOptions): Promise<LocalCluster | undefined> {
  const w = (s = ''): void => void opts.out.write(`${s}\n`)
  w(`kplab demo — ${opts.modeReason}`)
  w()
  w('1. Bringing up a cluster:')
  const cluster = await startLocalCluster({
    stateDir: opts.stateDir,
    nodes: opts.nodes ?? 2,
    launcher: opts.launcher,
    clock: opts.clock,
    podNetworkOctet: opts.podNetworkOctet,
    onProgress: (l) => w(`   ${l}`),
  })
  const client = new RestClient(loadKubeconfig({ explicitPath: cluster.kubeconfig }), { userAgent: 'kplab-demo' })
  try {
    w()
    w(`2. Applying ${opts.manifest}:`)
    for (const obj of readManifest(opts.manifest)) {
      const r = resourceForKind(obj.apiVersion ?? '', obj.kind ?? '')
      if (!r) throw new KplabError('EDEMO', `${opts.manifest}: ${obj.kind} is not served`)
      await client.create(r, obj, { namespace: 'default' })
      w(`   ${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/${obj.metadata.name} created`)
    }
    w()
    w('3. Waiting for the Deployment\'s pods to be scheduled, started and ready, and for the EndpointSlice controller to list them:')
    const started = opts.clock.now()
    const slices = await waitForReadyEndpoints(client, 'echo', 3, opts.clock)
    w(`   3 ready endpoints after ${opts.clock.now() - started} ms`)
    const pods = (await client.list(PODS, { namespace: 'default', labelSelector: 'app=echo' })).items
    for (const p of pods) {
      const spec = p.spec as { nodeName?: string }
      const status = p.status as { podIP?: string; phase?: string }
      w(`   pod ${p.metadata.name}  node ${spec.nodeName}  IP ${status.podIP}  ${status.phase}`)
    }
    w()
    w('4. What kube-proxy in iptables mode writes for Service default/echo on node-1 (`kplab rules`):')
    const services = (await client.list(SERVICES, { namespace: 'default' })).items
    const state = stateFromObjects([...services.filter((s) => s.metadata.name === 'echo'), ...slices])
    const genOpts = { hostname: 'node-1', nodeIPs: ['192.168.56.11'], localDetector: { mode: 'ClusterCIDR' as const, cidr: '10.244.0.0/16' } }
    const payload = generateRules(state, genOpts).payload
    for (const line of payload.split('\n')) if (line.startsWith('-A KUBE-SVC-') || line.startsWith('-A KUBE-SEP-') || line.includes('default/echo:http cluster IP')) w(`   ${line}`)
    w()
    for (const line of explainRules(state, genOpts).trimEnd().split('\n')) w(`   ${line}`)
    w()
    const n = opts.requests ?? 30
    w(`5. ${n} HTTP requests to the Service through node-1's userspace proxy (algorithm round-robin, from the kplab.io/lb-algorithm annotation):`)
    const port = await proxyPortFor(cluster.proxyMetricsURL, 'default/echo:http', 3, opts.clock)
    const counts = new Map<string, number>()
    for (let i = 0; i < n; i++) {
      const answer = JSON.parse(await get(`http://127.0.0.1:${port}/`)) as { pod: string }
      counts.set(answer.pod, (counts.get(answer.pod) ?? 0) + 1)
    }
    for (const [pod, c] of [...counts].sort()) w(`   ${pod.padEnd(28)} ${String(c).padStart(3)}  ${'#'.repeat(c)}`)
    w()
    if (opts.keep) {
      w(`The cluster keeps running. Try:  export KUBECONFIG=${cluster.kubeconfig}; kubectl get pods -o wide`)
      w(`Per-endpoint stats:  kplab proxy stats --metrics-bind-address ${cluster.proxyMetricsURL.replace('http://', '')}`)
      return cluster
    }
    w(`Logs of every component are in ${opts.stateDir}/logs. Deleting the workload and stopping the cluster.`)
    await deleteWorkload(client, opts.clock)
    client.close()
    await cluster.stop()
    return undefined
  } catch (err) {
    // Stopped kubelets leave pods running (for adoption), so take the workload down first.
    await deleteWorkload(client, opts.clock).catch(() => undefined)
    client.close()
    await cluster.stop()
    throw err
  }
}

/** Deletes the demo's Deployment and waits until the kubelets have stopped its pods (a stopped kubelet leaves pods running for adoption). */
async function deleteWorkload(client: RestClient, clock: Clock): Promise<void> {
  const deployments = resourceByName('deployments')!
  await client.delete(deployments, 'default', 'echo', { propagationPolicy: 'Background' }).catch(() => undefined)
  const ac = new AbortController()
  const timer = clock.setTimeout(() => ac.abort(new KplabError('EDEMO', 'the demo pods did not stop within 60 s')), 60_000)
  try {
    const list = await client.list(PODS, { namespace: 'default', labelSelector: 'app=echo' })
    const left = new Set(list.items.map((p) => p.metadata.name!))
    if (left.size === 0) return
    for await (const ev of client.watch(PODS, { namespace: 'default', labelSelector: 'app=echo', resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) {
      if (ev.type === 'DELETED') left.delete(ev.object.metadata.name!)
      if (left.size === 0) return
    }
  } finally {
    clock.clearTimeout(timer)
    ac.abort()
  }
}

function readManifest(path: string): KubeObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object')
}

/** Watches the Service's EndpointSlices until `want` endpoints are ready; returns the slices. */
async function waitForReadyEndpoints(client: RestClient, service: string, want: number, clock: Clock): Promise<KubeObject[]> {
  const selector = `kubernetes.io/service-name=${service}`
  const ac = new AbortController()
  const timer = clock.setTimeout(() => ac.abort(new KplabError('EDEMO', `no ${want} ready endpoints for ${service} within 120 s; see the logs`)), 120_000)
  try {
    const list = await client.list(SLICES, { namespace: 'default', labelSelector: selector })
    const slices = new Map(list.items.map((s) => [s.metadata.name!, s]))
    const ready = (): number =>
      [...slices.values()].reduce((n, s) => n + ((s.endpoints as { conditions?: { ready?: boolean } }[] | undefined) ?? []).filter((e) => e.conditions?.ready).length, 0)
    if (ready() >= want) return [...slices.values()]
    for await (const ev of client.watch(SLICES, { namespace: 'default', labelSelector: selector, resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) {
      if (ev.type === 'DELETED') slices.delete(ev.object.metadata.name!)
      else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') slices.set(ev.object.metadata.name!, ev.object)
      if (ready() >= want) return [...slices.values()]
    }
    throw ac.signal.reason ?? new KplabError('EDEMO', 'the EndpointSlice watch ended early')
  } finally {
    clock.clearTimeout(timer)
    ac.abort()
  }
}

/**
 * The proxy's local port for a service port, once the proxy itself has seen `endpoints` endpoints
 * (its informers trail the API server slightly; the proxy publishes no event stream, so ask /ports).
 */
async function proxyPortFor(metricsURL: string, servicePort: string, endpoints: number, clock: Clock): Promise<number> {
  const deadline = clock.now() + 30_000
  for (;;) {
    const ports = JSON.parse(await get(`${metricsURL}/ports`)) as { servicePort: string; proxyPort: number; endpoints: number }[]
    const p = ports.find((x) => x.servicePort === servicePort)
    if (p && p.endpoints >= endpoints) return p.proxyPort
    if (clock.now() > deadline) throw new KplabError('EDEMO', `the proxy has no listener with ${endpoints} endpoints for ${servicePort} after 30 s; see its log`)
    await clock.sleep(50)
  }
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve(body))
    })
      .on('error', reject)
      .end()
  })
}
