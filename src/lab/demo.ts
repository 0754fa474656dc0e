// `kplab demo`: a lab comes up (netns when it can, local otherwise), the demo manifest is applied,
// the demo shows kube-proxy's rules for the ClusterIP Service, sends traffic through the ClusterIP,
// the NodePort and one Service per algorithm, prints one table of what each did beside the
// simulator's prediction, writes the HTML report and takes the lab down — also on Ctrl-C.
import type { KubeObject } from '../api/meta.js'
import { resourceByName } from '../api/registry.js'
import type { Clock } from '../base/clock.js'
import { KplabError } from '../base/errors.js'
import type { Rng } from '../base/rng.js'
import { loadKubeconfig } from '../client/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'
import { explainRules } from '../proxy/iptables/explain.js'
import { generateRules } from '../proxy/iptables/generate.js'
import { stateFromObjects } from '../proxy/iptables/input.js'
import type { CurlLab } from './curl.js'
import { demoExperiment, demoTargets, formatDemoTable, liveServiceRules, type DemoTarget } from './demo-compare.js'
import { createObjects, deleteAndWait, readManifest, waitForProxyPort, waitForReadyEndpoints } from './experiment-cluster.js'
import { measuredReport, predictedScenario, writeComparisonDir, type MeasuredRound } from './experiment-report.js'
import { assignBackends, labLoadDriver, SERVICE_PROXY_NAME_LABEL } from './experiment.js'
import type { CliLauncher } from './supervisor.js'
import { simulate } from '../sim/simulate.js'

/** A lab the demo brought up: the handle, why its mode was chosen, and how to take it down. */
export interface DemoLab extends CurlLab {
  modeReason: string
  down(): Promise<unknown>
}

/** Options of the demo. */
export interface DemoOptions {
  /** Brings the lab up (the CLI passes upLab; tests a local cluster of their own). */
  up: (onProgress: (line: string) => void) => Promise<DemoLab>
  manifest: string
  launcher: CliLauncher
  clock: Clock
  rng: Rng
  out: { write(s: string): unknown }
  /** Requests per target (default 200). */
  requests?: number
  /** Report directory (index.html, report.md, report.json, SVGs); none when absent. */
  reportDir?: string
  /** Leave the lab running (and the workload applied) and print how to reach it. */
  keep?: boolean
  /** Aborting (Ctrl-C) stops the load; the lab is taken down before runDemo rejects. */
  signal?: AbortSignal
  seed?: number
}

const PODS = resourceByName('pods')!
const SERVICES = resourceByName('services')!
const NODES = resourceByName('nodes')!

/** Runs the demo; resolves with the lab when `keep`, else once the lab is down. */
export async function runDemo(opts: DemoOptions): Promise<DemoLab | undefined> {
  const w = (s = ''): void => void opts.out.write(`${s}\n`)
  const started = opts.clock.now()
  const step = (n: number, s: string): void => w(`\n${n}. ${s}  [${((opts.clock.now() - started) / 1000).toFixed(1)} s]`)
  const check = (): void => {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new KplabError('EDEMO', 'interrupted')
  }
  w('kplab demo')
  step(1, 'Bringing up a lab:')
  const said: string[] = []
  const lab = await opts.up((l) => {
    said.push(l)
    w(`   ${l}`)
  })
  let keep = false
  let workload: { apiVersion: string; kind: string; name: string }[] = []
  const client = new RestClient(loadKubeconfig({ explicitPath: lab.kubeconfig }), { userAgent: 'kplab-demo' })
  try {
    // upLab says why it chose its mode; say it here only when the lab did not.
    if (!said.includes(lab.modeReason)) w(`   ${lab.modeReason}`)
    check()
    step(2, `Applying ${opts.manifest}:`)
    const objects = readManifest(opts.manifest).map((o) => (lab.mode === 'local' ? withoutProxyName(o) : o))
    if (lab.mode === 'local') w('   (local lab: one userspace proxy serves every Service, so the algorithm Services drop their service-proxy-name label)')
    workload = objects.map((o) => ({ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name! }))
    for (const line of await createObjects(client, objects, 'default')) w(`   ${line} created`)
    const exp = demoExperiment(objects, lab.mode)
    const replicas = exp.groups.reduce((n, g) => n + g.replicas, 0)
    check()
    step(3, 'Waiting for the pods to be scheduled, started and ready, and listed in the EndpointSlices:')
    const waitFrom = opts.clock.now()
    const slices = await waitForReadyEndpoints(client, 'default', 'echo', replicas, opts.clock, 180_000)
    w(`   ${replicas} ready endpoints after ${opts.clock.now() - waitFrom} ms`)
    const pods = (await client.list(PODS, { namespace: 'default', labelSelector: 'app=echo' })).items
    const backendOf = assignBackends(pods)
    for (const p of pods) {
      const status = p.status as { podIP?: string }
      w(`   pod ${p.metadata.name!.padEnd(28)} ${backendOf[p.metadata.name!]!.padEnd(7)} node ${(p.spec as { nodeName?: string }).nodeName}  IP ${status.podIP}`)
    }
    check()
    step(4, 'kube-proxy\'s iptables rules for Service default/echo (`kplab rules --explain`):')
    const services = (await client.list(SERVICES, { namespace: 'default' })).items
    const state = stateFromObjects([...services.filter((s) => s.metadata.name === 'echo'), ...slices])
    const genOpts = { hostname: lab.nodes[0]!, nodeIPs: [await nodeIP(client, lab.nodes[0]!)], localDetector: { mode: 'ClusterCIDR' as const, cidr: '10.244.0.0/16' } }
    if (lab.mode === 'netns') {
      // The proxy writes at most once per --iptables-min-sync-period after the endpoints change:
      // read the kernel's rules until they carry every ready endpoint (nothing to wait on but them).
      const deadline = opts.clock.now() + 30_000
      let live: string[] = []
      for (;;) {
        const save = await lab.exec(lab.nodes[0]!, ['iptables-save', '-t', 'nat'])
        live = liveServiceRules(save.stdout, 'default/echo:http')
        if (live.filter((l) => / -j KUBE-SEP-/.test(l)).length >= replicas || opts.clock.now() > deadline) break
        await opts.clock.sleep(200)
      }
      w(`   live rules on ${lab.nodes[0]} (iptables-save -t nat):`)
      for (const line of live) w(`   ${line}`)
    } else {
      w(`   (local lab: no iptables; these are the rules kube-proxy would write on ${lab.nodes[0]})`)
      for (const line of generateRules(state, genOpts).payload.split('\n')) if (line.startsWith('-A KUBE-SVC-') || line.startsWith('-A KUBE-SEP-') || line.includes('default/echo:http cluster IP')) w(`   ${line}`)
    }
    w()
    for (const line of explainRules(state, genOpts).trimEnd().split('\n')) w(`   ${line}`)
    check()
    const targets = demoTargets(lab.mode, objects)
    const n = opts.requests ?? 200
    step(5, `Sending ${n} requests (4 at a time, a new connection each) through each of ${targets.length} Services:`)
    const driver = labLoadDriver(lab, opts.clock, opts.rng, opts.launcher)
    // netns: kube-proxy syncs its rules at most once a second (minSyncPeriod); give it one round.
    if (lab.mode === 'netns') await opts.clock.sleep(2_000, opts.signal)
    const load = { ...exp.load, requests: n }
    const rounds: MeasuredRound[] = []
    const ac = new AbortController()
    const onAbort = (): void => ac.abort(opts.signal?.reason)
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      for (const [i, target] of targets.entries()) {
        check()
        const url = await targetURL(lab, client, target, replicas, opts.clock)
        const result = await driver(url, load, (opts.seed ?? 1) + i, ac.signal)
        rounds.push({ round: exp.rounds[i]!, result, backendOf, notes: [] })
        w(`   ${target.label.padEnd(34)} ${url.padEnd(28)} ${result.succeeded} ok, ${result.errors} errors`)
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort)
    }
    check()
    step(6, 'Measured in the lab, and predicted by the simulator for the same pods and load:')
    const predicted = simulate(predictedScenario(exp), opts.seed ?? 1)
    const measured = measuredReport(exp, rounds)
    w(formatDemoTable(targets, predicted, measured).replace(/^/gm, '   ').trimEnd())
    w('   Shares are of the answered requests; p50/p99 in ms. The prediction runs the simulator on the same pods (delays from')
    w('   ECHO_DELAY_MS, +1 ms each), load and algorithms; it knows no network or machine load, so measured times are higher.')
    if (targets.some((x) => x.round.algorithm === 'ip-hash')) w('   ip-hash: all requests come from one address, so one pod gets them all; which one depends on the hashed addresses.')
    if (opts.reportDir) {
      const files = await writeComparisonDir(opts.reportDir, predicted, measured, lab.mode === 'local' ? ['local lab: the ClusterIP and NodePort Services go through the userspace proxy (round-robin per connection), not iptables'] : [])
      w(`\n   report: ${opts.reportDir}/index.html (${files.length} files)`)
    }
    if (opts.keep) {
      keep = true
      w(`\nThe lab keeps running. Try:  export KUBECONFIG=${lab.kubeconfig}; kubectl get pods -o wide`)
      return lab
    }
    step(7, 'Deleting the workload and taking the lab down.')
    await deleteAndWait(client, 'default', workload, 'app=echo', opts.clock).catch(() => undefined)
    workload = []
    w(`   workload deleted after ${((opts.clock.now() - started) / 1000).toFixed(1)} s`)
    return undefined
  } finally {
    // Stopped kubelets leave pods running (for adoption): after a failure or Ctrl-C, delete the
    // workload while they still run, briefly, before the lab goes down.
    if (!keep && workload.length > 0) await deleteAndWait(client, 'default', workload, 'app=echo', opts.clock, 20_000).catch(() => undefined)
    client.close()
    if (!keep) {
      // Also on failure and Ctrl-C: nothing of the lab may outlive the demo.
      await lab.down()
      w(`   lab down after ${((opts.clock.now() - started) / 1000).toFixed(1)} s`)
    }
  }
}

/** The object without the service-proxy-name label (a local lab has only the default proxy). */
function withoutProxyName(o: KubeObject): KubeObject {
  const labels = o.metadata.labels
  if (!labels || !(SERVICE_PROXY_NAME_LABEL in labels)) return o
  const { [SERVICE_PROXY_NAME_LABEL]: _drop, ...rest } = labels
  return { ...o, metadata: { ...o.metadata, labels: rest } }
}

/** The node's InternalIP (the NodePort address), or 127.0.0.1 when it reports none. */
async function nodeIP(client: RestClient, node: string): Promise<string> {
  const n = await client.get(NODES, undefined, node).catch(() => undefined)
  const addrs = (n?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? []
  return addrs.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1'
}

/** Where to send a target's traffic once its proxy serves all endpoints. */
async function targetURL(lab: DemoLab, client: RestClient, t: DemoTarget, endpoints: number, clock: Clock): Promise<string> {
  const sp = `default/${t.service}:http`
  if (lab.mode === 'local') {
    await waitForProxyPort(lab.proxyMetricsURL(lab.nodes[0]!), sp, { endpoints }, clock)
    return `http://${await lab.serviceAddress('default', t.service, 'http')}/`
  }
  if (t.kind === 'nodeport') return `http://${await nodeIP(client, lab.nodes[0]!)}:${t.nodePort}/`
  return `http://${await lab.serviceAddress('default', t.service, 'http')}/`
}
