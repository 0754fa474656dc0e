// Benchmark of the pure iptables rule generator: 1k and 10k ClusterIP services × 10 endpoints.
// Prints generation time, payload size and peak memory, then one endpoint change at 10k services
// as a partial sync. Then, as root, the real iptables-restore time of the same payloads in a fresh
// network namespace per size (created with src/netns, deleted after), ending with the line
// `ratio generate/restore X.XX` (10k × 10, full sync). Not root: the restore half is skipped.
import { execFileSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import type { EndpointSlice, Service } from '../src/api/types.js'
import { SpawnRunner } from '../src/netns/exec.js'
import { createNamespace, deleteNamespace } from '../src/netns/namespace.js'
import { ChainNameCache } from '../src/proxy/iptables/chain-name-cache.js'
import { buildEndpointsMap } from '../src/proxy/iptables/endpoints.js'
import { buildServicePortList, generateFromPorts } from '../src/proxy/iptables/generate.js'
import { withDefaults } from '../src/proxy/iptables/options.js'
import { IptablesExec } from '../src/proxy/iptables/restore.js'

const ENDPOINTS = 10

function ipOf(n: number, base: number): string {
  return `${base}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

function makeState(nServices: number): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = []
  const slices: EndpointSlice[] = []
  let ep = 1
  for (let i = 0; i < nServices; i++) {
    const name = `svc-${i}`
    services.push({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'bench', name }, spec: { type: 'ClusterIP', clusterIP: ipOf(i + 1, 10), ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } })
    const endpoints = []
    for (let j = 0; j < ENDPOINTS; j++) endpoints.push({ addresses: [ipOf(ep++, 172)], nodeName: `node-${j % 5}` })
    slices.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: 'bench', name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints })
  }
  return { services, slices }
}

let peak = 0
function sampleMemory(): void {
  peak = Math.max(peak, process.memoryUsage().rss)
}

const opts = withDefaults({ hostname: 'node-0', nodeIPs: ['192.168.56.10'], localDetector: { mode: 'ClusterCIDR', cidr: '10.244.0.0/16' } })

function canRestore(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root'
  for (const cmd of ['ip', 'iptables-restore']) {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    } catch {
      return `${cmd} not found`
    }
  }
  return undefined
}
const noRestore = canRestore()
const runner = new SpawnRunner()

/** Restores payloads in order into a fresh namespace; resolves with each restore's wall time (ms). */
async function timeRestores(tag: string, payloads: string[]): Promise<number[]> {
  const netns = `kplab-bench-${process.pid}-${tag}`
  // iptables-restore of 320k rules can take minutes on iptables-nft: an interrupted run must not
  // leave the namespace behind (deleting it also ends the restore's work in it).
  const onSignal = (sig: NodeJS.Signals): void => {
    execFileSync('ip', ['netns', 'delete', netns], { stdio: 'ignore' })
    console.log(`interrupted (${sig}): namespace ${netns} deleted`)
    process.exit(130)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  await createNamespace(runner, netns)
  try {
    const ipt = new IptablesExec({ runner, netns })
    const out: number[] = []
    for (const p of payloads) {
      const t0 = performance.now()
      await ipt.restore(p)
      out.push(performance.now() - t0)
    }
    return out
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await deleteNamespace(runner, netns)
  }
}

let fullGenerate10k = 0
let fullRestore10k = 0
if (noRestore !== undefined) console.log(`restore: skipped (${noRestore}; run as root with ip and iptables-restore for the real iptables-restore times)`)

for (const n of [1000, 10000]) {
  const { services, slices } = makeState(n)
  const names = new ChainNameCache()
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const ports = buildServicePortList(services, opts)
  const eps = buildEndpointsMap(slices, opts.hostname)
  const full = generateFromPorts(ports, eps, opts, { full: true, chainNames: names })
  const t1 = performance.now()
  const payload = full.payload
  const cpu = process.cpuUsage(c0)
  sampleMemory()
  console.log(
    `full ${n} services x ${ENDPOINTS} endpoints: ` +
      `generate (payload text included) ${(t1 - t0).toFixed(1)} ms (cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms), nat rules ${full.counts.natRules}, nat chains ${full.counts.natChains}, ` +
      `payload ${(payload.length / 1e6).toFixed(2)} MB, rss ${(peak / 1e6).toFixed(0)} MB`,
  )
  if (n === 10000) fullGenerate10k = t1 - t0
  let partialPayloadForRestore: string | undefined
  if (n === 10000) {
    names.rotate()
    // One endpoint of one service changes: a partial sync writes only that service's chains.
    const changed = slices.map((s, i) => (i === 4242 ? { ...s, endpoints: [...s.endpoints.slice(1), { addresses: ['172.250.0.1'], nodeName: 'node-1' }] } : s))
    const pc = process.cpuUsage()
    const p0 = performance.now()
    const ports2 = buildServicePortList(services, opts)
    const eps2 = buildEndpointsMap(changed, opts.hostname)
    const p1 = performance.now()
    // Large-cluster mode: like upstream, stale chains are hunted at most once per sync period, not here.
    const partial = generateFromPorts(ports2, eps2, opts, { full: false, changedServices: new Set(['bench/svc-4242']), chainNames: names })
    const partialPayload = partial.payload
    const p2 = performance.now()
    const pcpu = process.cpuUsage(pc)
    sampleMemory()
    console.log(
      `partial 1 endpoint change at ${n} services: generate+render ${(p2 - p1).toFixed(1)} ms (process cpu ${((pcpu.user + pcpu.system) / 1000).toFixed(1)} ms incl. the rebuild; plus ${(p1 - p0).toFixed(1)} ms rebuilding maps from objects), ` +
        `payload ${(partialPayload.length / 1e6).toFixed(2)} MB`,
    )
    partialPayloadForRestore = partialPayload
  }
  if (noRestore === undefined) {
    const payloads = partialPayloadForRestore === undefined ? [payload] : [payload, partialPayloadForRestore]
    const [fullMs, partialMs] = await timeRestores(String(n), payloads)
    console.log(`restore full ${n} services x ${ENDPOINTS} endpoints: iptables-restore ${fullMs!.toFixed(1)} ms (fresh namespace)`)
    if (partialMs !== undefined) console.log(`restore partial 1 endpoint change at ${n} services: iptables-restore ${partialMs.toFixed(1)} ms`)
    if (n === 10000) fullRestore10k = fullMs!
  }
}
console.log(`peak rss ${(peak / 1e6).toFixed(0)} MB; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cpus (wall times scale with it)`)
if (noRestore === undefined) console.log(`ratio generate/restore ${(fullGenerate10k / fullRestore10k).toFixed(2)}`)
