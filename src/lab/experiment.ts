// `kplab experiment run FILE`: a live experiment on a running lab. It deploys the experiment's echo
// pods and one Service, then for each round re-labels/re-annotates the Service (iptables proxy or
// the node's userspace proxy, which algorithm), drives the load from the lab's client machine,
// fires the events, and finally writes the measured rounds beside the simulator's prediction.
import type { KubeObject } from '../api/meta.js'
import { resourceByName } from '../api/registry.js'
import type { Clock } from '../base/clock.js'
import { KplabError } from '../base/errors.js'
import type { Rng } from '../base/rng.js'
import { loadKubeconfig } from '../client/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'
import { fmt } from '../sim/report/format.js'
import type { Report } from '../sim/report/types.js'
import { simulate } from '../sim/simulate.js'
import { USERSPACE_PROXY_METRICS_PORT, USERSPACE_PROXY_NAME } from './components.js'
import { createObjects, deleteAndWait, waitForProxyPort, waitForReadyEndpoints, type ProxyPortRow } from './experiment-cluster.js'
import { measuredReport, predictedScenario, writeComparisonDir, type MeasuredRound } from './experiment-report.js'
import type { Experiment, ExperimentEvent, ExperimentLoad, ExperimentRound, PodGroup } from './experiment-spec.js'
import { runLoad, type LoadResult } from './loadgen.js'
import type { CliLauncher } from './supervisor.js'

/** The label that moves a Service from the iptables proxy to the node's userspace proxy. */
// upstream: pkg/proxy/apis/well_known_labels.go (LabelServiceProxyName)
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name'
/** The annotation the userspace proxy reads its algorithm from. */
export const LB_ALGORITHM_ANNOTATION = 'kplab.io/lb-algorithm'

/** What the experiment runner needs of a lab: the part of LabHandle (src/lab/lab.ts) it uses. */
export interface ExperimentLab {
  mode: 'netns' | 'local'
  kubeconfig: string
  nodes: string[]
  exec(machine: string, argv: string[], opts?: { input?: string; timeoutMs?: number }): Promise<{ stdout: string; stderr: string; code: number }>
  proxyMetricsURL(node: string): string
  serviceAddress(namespace: string, service: string, port: string | number): Promise<string>
  /** Stops a node's kubelet, when the lab exposes it (the stop-kubelet event). */
  stopKubelet?(node: string): Promise<void>
  /** Lets a stopped kubelet go on (after the round). */
  resumeKubelet?(node: string): Promise<void>
}

/** Sends one round's load at a URL; the default runs `kplab loadgen` on the lab's client machine. */
export type LoadDriver = (url: string, load: ExperimentLoad, seed: number, signal: AbortSignal) => Promise<LoadResult>

/** Options of runExperiment. */
export interface ExperimentOptions {
  lab: ExperimentLab
  experiment: Experiment
  clock: Clock
  rng: Rng
  seed: number
  /** Report directory; none written when absent. */
  out?: string
  /** How to run `kplab loadgen` inside the lab (netns mode). */
  launcher?: CliLauncher
  /** Overrides how load is sent (tests). */
  driver?: LoadDriver
  onProgress?: (line: string) => void
  signal?: AbortSignal
}

/** The outcome: both reports, notes, and the files written. */
export interface ExperimentResult {
  predicted: Report
  measured: Report
  rounds: MeasuredRound[]
  notes: string[]
  files: string[]
}

const DEPLOYMENTS = resourceByName('deployments')!
const SERVICES = resourceByName('services')!
const PODS = resourceByName('pods')!
const NODES = resourceByName('nodes')!

/** The Deployment of one pod group (pure). */
export function groupDeployment(exp: Experiment, g: PodGroup, delayMs = g.delayMs): KubeObject {
  const labels = { app: exp.name, 'kplab.io/group': g.name }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${exp.name}-${g.name}`, labels },
    spec: {
      replicas: g.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'echo',
              image: 'kplab/echo',
              env: [
                { name: 'ECHO_DELAY_MS', value: String(delayMs) },
                { name: 'ECHO_ERROR_RATE', value: String(g.errorRate) },
              ],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  } as KubeObject
}

/** The experiment's Service: every group behind one ClusterIP, named after the experiment (pure). */
export function experimentService(exp: Experiment): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: exp.name },
    spec: { selector: { app: exp.name }, ports: [{ name: 'http', port: 80, targetPort: 'http', appProtocol: exp.appProtocol }] },
  } as KubeObject
}

/**
 * The merge patch that sets up a round. netns lab: a userspace round labels the Service for the
 * userspace proxy (the iptables proxy then ignores it, as upstream); an iptables round removes the
 * label. Local lab: there is only the userspace proxy, so no label, and an iptables round uses
 * `random`, the closest per-connection stand-in for the iptables cascade.
 */
export function roundPatch(round: ExperimentRound, mode: 'netns' | 'local'): { metadata: { labels: Record<string, string | null>; annotations: Record<string, string | null> } } {
  if (mode === 'local') return { metadata: { labels: { [SERVICE_PROXY_NAME_LABEL]: null }, annotations: { [LB_ALGORITHM_ANNOTATION]: round.algorithm ?? 'random' } } }
  if (round.proxy === 'iptables') return { metadata: { labels: { [SERVICE_PROXY_NAME_LABEL]: null }, annotations: { [LB_ALGORITHM_ANNOTATION]: null } } }
  return { metadata: { labels: { [SERVICE_PROXY_NAME_LABEL]: USERSPACE_PROXY_NAME }, annotations: { [LB_ALGORITHM_ANNOTATION]: round.algorithm! } } }
}

/** Names pods as backends: `<group>-<i>` in creation order within each group, continuing `known`. */
export function assignBackends(pods: readonly KubeObject[], known: Record<string, string> = {}): Record<string, string> {
  const out = { ...known }
  const used = new Map<string, number>()
  for (const b of Object.values(out)) {
    const m = /^(.*)-(\d+)$/.exec(b)
    if (m) used.set(m[1]!, Math.max(used.get(m[1]!) ?? 0, Number(m[2]) + 1))
  }
  const sorted = [...pods].sort((a, b) => {
    const ta = a.metadata.creationTimestamp ?? ''
    const tb = b.metadata.creationTimestamp ?? ''
    return ta < tb ? -1 : ta > tb ? 1 : a.metadata.name! < b.metadata.name! ? -1 : 1
  })
  for (const p of sorted) {
    const name = p.metadata.name!
    if (out[name]) continue
    const group = p.metadata.labels?.['kplab.io/group'] ?? 'pod'
    const i = used.get(group) ?? 0
    used.set(group, i + 1)
    out[name] = `${group}-${i}`
  }
  return out
}

/** The default driver: in-process on the host in local mode, `kplab loadgen --json` on the client machine in netns mode. */
export function labLoadDriver(lab: ExperimentLab, clock: Clock, rng: Rng, launcher?: CliLauncher): LoadDriver {
  return async (url, load, seed, signal) => {
    if (lab.mode === 'local') {
      return runLoad({ url, requests: load.requests, concurrency: load.concurrency, rate: load.loop === 'open' ? load.rate : undefined, keepAlive: load.keepAlive, timeoutMs: load.timeoutMs, clock, rng, signal })
    }
    if (!launcher) throw new KplabError('ELAB', 'a netns lab needs the CLI launcher to run kplab loadgen in its client namespace')
    const argv = [launcher.execPath, ...launcher.execArgv, launcher.entry, 'loadgen', '--url', url, '--requests', String(load.requests), '--timeout', String(load.timeoutMs), '--seed', String(seed), '--json']
    argv.push(...(load.loop === 'open' ? ['--rate', String(load.rate)] : ['--concurrency', String(load.concurrency)]), load.keepAlive ? '--keepalive' : '--no-keepalive')
    const r = await lab.exec('client', argv, { timeoutMs: 600_000 })
    if (r.code !== 0) throw new KplabError('ELAB', `kplab loadgen on the client machine failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`)
    return parseLoadResult(r.stdout.trim().split('\n').pop()!)
  }
}

/** Parses `kplab loadgen --json` output: JSON has no NaN, so an unmeasured latency arrives as null. */
export function parseLoadResult(line: string): LoadResult {
  return JSON.parse(line, (_k, v: unknown) => (v === null ? Number.NaN : v)) as LoadResult
}

/** Runs the experiment on the lab; the workload is removed at the end, also on failure. */
export async function runExperiment(o: ExperimentOptions): Promise<ExperimentResult> {
  const { lab, experiment: exp, clock } = o
  const say = o.onProgress ?? (() => {})
  const ns = exp.namespace
  const total = exp.groups.reduce((n, g) => n + g.replicas, 0)
  const client = new RestClient(loadKubeconfig({ explicitPath: lab.kubeconfig }), { userAgent: 'kplab-experiment' })
  const driver = o.driver ?? labLoadDriver(lab, clock, o.rng, o.launcher)
  const notes: string[] = []
  const rounds: MeasuredRound[] = []
  const deployments = exp.groups.map((g) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name: `${exp.name}-${g.name}` }))
  try {
    // A run cut short (kill -9) leaves its workload behind: start from a clean slate.
    await deleteAndWait(client, ns, [...deployments, { apiVersion: 'v1', kind: 'Service', name: exp.name }], `app=${exp.name}`, clock)
    say(`deploying ${exp.groups.map((g) => `${g.replicas}× ${g.name}${g.delayMs ? ` (+${g.delayMs} ms)` : ''}`).join(', ')} behind Service ${ns}/${exp.name}`)
    await createObjects(client, [...exp.groups.map((g) => groupDeployment(exp, g)), experimentService(exp)], ns)
    await waitForReadyEndpoints(client, ns, exp.name, total, clock)
    say(`${total} ready endpoints`)
    for (const [i, round] of exp.rounds.entries()) {
      if (o.signal?.aborted) throw o.signal.reason
      const roundNotes: string[] = []
      if (lab.mode === 'local' && round.proxy === 'iptables') roundNotes.push(`${round.label}: the local lab has no iptables proxy; measured through the userspace proxy with random (per ${exp.appProtocol === 'http' ? 'request' : 'connection'})`)
      await client.patch(SERVICES, ns, exp.name, roundPatch(round, lab.mode), 'application/merge-patch+json')
      await settle(o, client, `${ns}/${exp.name}:http`, total, lab.mode === 'local' ? (round.algorithm ?? 'random') : round.algorithm, round, roundNotes)
      const backendOf = assignBackends((await client.list(PODS, { namespace: ns, labelSelector: `app=${exp.name}` })).items)
      const url = `http://${await lab.serviceAddress(ns, exp.name, 'http')}/`
      say(`round ${i + 1}/${exp.rounds.length}: ${round.label} — ${exp.load.requests} requests to ${url}`)
      const fired = scheduleEvents(o, exp, round, backendOf, client, roundNotes)
      const ac = new AbortController()
      const onAbort = (): void => ac.abort(o.signal?.reason)
      o.signal?.addEventListener('abort', onAbort, { once: true })
      let result: LoadResult
      try {
        result = await driver(url, exp.load, o.seed + i, ac.signal)
      } finally {
        o.signal?.removeEventListener('abort', onAbort)
        fired.cancel()
      }
      await fired.done
      const after = assignBackends((await client.list(PODS, { namespace: ns, labelSelector: `app=${exp.name}` })).items, backendOf)
      if (result.errors > 0) roundNotes.push(`${round.label}: ${result.errors} errors (${Object.entries(result.errorKinds).map(([k, n]) => `${k} ${n}`).join(', ')})`)
      rounds.push({ round, result, backendOf: after, notes: roundNotes })
      notes.push(...roundNotes)
      say(`   ${result.succeeded} ok, ${result.errors} errors, p50 ${fmt(result.latency.p50)} ms, p99 ${fmt(result.latency.p99)} ms`)
      // A stopped kubelet goes on before the next round, so each round starts from the same cluster.
      for (const node of fired.stoppedKubelets) await lab.resumeKubelet?.(node)
      if (fired.changed) await restore(client, exp, clock)
    }
  } finally {
    await deleteAndWait(client, ns, [...deployments, { apiVersion: 'v1', kind: 'Service', name: exp.name }], `app=${exp.name}`, clock).catch((e: Error) => say(`cleanup: ${e.message}`))
    client.close()
  }
  const predicted = simulate(predictedScenario(exp), o.seed)
  const measured = measuredReport(exp, rounds)
  const files = o.out ? await writeComparisonDir(o.out, predicted, measured, notes) : []
  return { predicted, measured, rounds, notes, files }
}

/** Waits until the proxy that will carry the round serves it with the round's algorithm. */
async function settle(o: ExperimentOptions, client: RestClient, servicePort: string, endpoints: number, algorithm: string | undefined, round: ExperimentRound, notes: string[]): Promise<void> {
  const { lab, clock } = o
  if (lab.mode === 'local') {
    await waitForProxyPort(lab.proxyMetricsURL(lab.nodes[0]!), servicePort, { endpoints, algorithm }, clock)
    return
  }
  if (round.proxy === 'userspace' && o.launcher) {
    // The node's userspace side-proxy serves /ports on the node network only: ask from the client machine.
    const node = await client.get(NODES, undefined, lab.nodes[0]!)
    const ip = ((node.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address
    if (ip) {
      const url = `http://${ip}:${USERSPACE_PROXY_METRICS_PORT}/ports`
      const deadline = clock.now() + 30_000
      for (;;) {
        const r = await lab.exec('client', [o.launcher.execPath, '-e', `fetch(${JSON.stringify(url)}).then((r) => r.text()).then((t) => process.stdout.write(t))`], { timeoutMs: 10_000 })
        const rows = r.code === 0 ? (JSON.parse(r.stdout || '[]') as ProxyPortRow[]) : []
        const row = rows.find((x) => x.servicePort === servicePort)
        if (row && row.endpoints === endpoints && row.algorithm === algorithm) return
        if (clock.now() > deadline) break
        await clock.sleep(200)
      }
    }
    notes.push(`${round.label}: could not confirm the switch on ${lab.nodes[0]}'s userspace proxy; waited 2 s instead`)
  }
  // The iptables proxy has no such view: give its sync loop (minSyncPeriod 1 s) time to rewrite the rules.
  await clock.sleep(2_000)
}

/** Schedules the events of a round on the clock; `done` resolves when every fired event has finished. */
function scheduleEvents(o: ExperimentOptions, exp: Experiment, round: ExperimentRound, backendOf: Record<string, string>, client: RestClient, notes: string[]): { done: Promise<void>; cancel(): void; changed: boolean; stoppedKubelets: Set<string> } {
  const jobs: Promise<void>[] = []
  const handle = { done: Promise.resolve(), cancel: () => {}, changed: false, stoppedKubelets: new Set<string>() }
  const timers = exp.events.map((e) =>
    o.clock.setTimeout(() => {
      handle.changed = true
      o.onProgress?.(`   at ${e.atMs} ms: ${describeEvent(e)}`)
      jobs.push(fire(o, exp, e, backendOf, client, handle.stoppedKubelets).catch((err: Error) => void notes.push(`${round.label}: event ${describeEvent(e)} failed: ${err.message}`)))
    }, e.atMs),
  )
  handle.cancel = () => timers.forEach((t) => o.clock.clearTimeout(t))
  Object.defineProperty(handle, 'done', { get: () => Promise.all(jobs).then(() => undefined) })
  return handle
}

/** A person's description of an event. */
export function describeEvent(e: ExperimentEvent): string {
  if (e.type === 'delete-pod') return `delete pod ${e.group}-0`
  if (e.type === 'slow-group') return `slow group ${e.group} to ${e.delayMs} ms`
  return `stop the kubelet of ${e.node}`
}

async function fire(o: ExperimentOptions, exp: Experiment, e: ExperimentEvent, backendOf: Record<string, string>, client: RestClient, stopped: Set<string>): Promise<void> {
  if (e.type === 'delete-pod') {
    const pod = Object.entries(backendOf).find(([, b]) => b === `${e.group}-0`)?.[0]
    if (!pod) throw new KplabError('ELAB', `no pod ${e.group}-0 to delete`)
    await client.delete(PODS, exp.namespace, pod)
    return
  }
  if (e.type === 'slow-group') {
    const g = exp.groups.find((x) => x.name === e.group)!
    await client.patch(DEPLOYMENTS, exp.namespace, `${exp.name}-${g.name}`, { spec: { template: (groupDeployment(exp, g, e.delayMs).spec as { template: unknown }).template } }, 'application/merge-patch+json')
    return
  }
  if (!o.lab.stopKubelet) throw new KplabError('ELAB', 'this lab does not expose stopping a kubelet')
  await o.lab.stopKubelet(e.node)
  stopped.add(e.node)
}

/** Puts the workload back as deployed (original delays, every replica ready) after a round with events. */
async function restore(client: RestClient, exp: Experiment, clock: Clock): Promise<void> {
  for (const g of exp.groups) {
    await client.patch(DEPLOYMENTS, exp.namespace, `${exp.name}-${g.name}`, { spec: { template: (groupDeployment(exp, g).spec as { template: unknown }).template } }, 'application/merge-patch+json')
  }
  await waitForReadyEndpoints(client, exp.namespace, exp.name, exp.groups.reduce((n, g) => n + g.replicas, 0), clock)
}
