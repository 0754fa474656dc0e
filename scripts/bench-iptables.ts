// Benchmark of the iptables mode: 1k and 10k ClusterIP services × 10 endpoints.
// Generation: a first sync (cold: objects → service ports → endpoints → chain names → payload
// bytes) and a full resync of a running proxier (warm: maps and chain names kept, every rule
// written again), then one endpoint change at 10k services as a partial sync. Payload size and
// peak memory. As root, the real iptables-restore time of the same payloads in a fresh network
// namespace per size and backend (the system's iptables, and iptables-legacy when installed),
// ending with `ratio generate/restore X.XX` (10k × 10, full sync, the system's iptables-restore).
// Usage: npm run bench:iptables [-- --backends system,legacy --max-restore-seconds 900 --sizes 1000,10000]
import { execFileSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import type { EndpointSlice, Service } from '../src/api/types.js'
import { SpawnRunner } from '../src/netns/exec.js'
import { createNamespace, deleteNamespace } from '../src/netns/namespace.js'
import { ChainNameCache } from '../src/proxy/iptables/chain-name-cache.js'
import { buildEndpointsMap } from '../src/proxy/iptables/endpoints.js'
import { buildServicePortList, generateFromPorts, type GenerateResult } from '../src/proxy/iptables/generate.js'
import { withDefaults } from '../src/proxy/iptables/options.js'
import { IptablesExec, type IptablesBackend } from '../src/proxy/iptables/restore.js'

const ENDPOINTS = 10
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt
}
const sizes = arg('sizes', '1000,10000').split(',').map(Number)
const maxRestoreMs = Number(arg('max-restore-seconds', '900')) * 1000

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
const bytesOf = (r: GenerateResult): number => r.payloadChunks.reduce((n, c) => n + c.length, 0)
const ms = (x: number): string => `${x.toFixed(1)} ms`
const cpuMs = (c: NodeJS.CpuUsage): string => `${((c.user + c.system) / 1000).toFixed(1)} ms`

const opts = withDefaults({ hostname: 'node-0', nodeIPs: ['192.168.56.10'], localDetector: { mode: 'ClusterCIDR', cidr: '10.244.0.0/16' } })

function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
function canRestore(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root'
  for (const cmd of ['ip', 'iptables-restore']) if (!hasCommand(cmd)) return `${cmd} not found`
  return undefined
}
const noRestore = canRestore()
const backends = arg('backends', 'system,legacy')
  .split(',')
  .filter((b): b is IptablesBackend => b === 'system' || ((b === 'legacy' || b === 'nft') && hasCommand(`iptables-${b}-restore`)))
const describe = (b: IptablesBackend): string => {
  const v = execFileSync(b === 'system' ? 'iptables' : `iptables-${b}`, ['-V'], { encoding: 'utf8' }).trim()
  return b === 'system' ? `system iptables-restore (${v})` : `iptables-${b}-restore (${v})`
}
const runner = new SpawnRunner()

/** Restores payloads in order into a fresh namespace; each restore's wall time (ms), undefined past the time limit. */
async function timeRestores(tag: string, backend: IptablesBackend, payloads: readonly (readonly Buffer[])[]): Promise<(number | undefined)[]> {
  const netns = `kplab-bench-${process.pid}-${tag}`
  // A restore of 110k chains can take many minutes on iptables-nft: an interrupted run must not
  // leave the namespace behind (deleting it also ends the restore's work in it).
  const onSignal = (sig: NodeJS.Signals): void => {
    execFileSync('ip', ['netns', 'delete', netns], { stdio: 'ignore' })
    console.log(`interrupted (${sig}): namespace ${netns} deleted`)
    process.exit(130)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  await createNamespace(runner, netns)
  const out: (number | undefined)[] = []
  try {
    for (const p of payloads) {
      const ac = new AbortController()
      // The limit is a wall-clock budget for a benchmark script, not product code.
      const timer = setTimeout(() => ac.abort(), maxRestoreMs)
      const ipt = new IptablesExec({ runner: { run: (c, a, o) => runner.run(c, a, { ...o, signal: ac.signal }) }, netns, backend })
      const t0 = performance.now()
      try {
        await ipt.restore(p)
        out.push(performance.now() - t0)
      } catch (e) {
        if (!ac.signal.aborted) throw e
        out.push(undefined)
        break
      } finally {
        clearTimeout(timer)
      }
    }
    return out
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await deleteNamespace(runner, netns)
  }
}

let generate10k = 0
const restore10k = new Map<IptablesBackend, number | undefined>()
if (noRestore !== undefined) console.log(`restore: skipped (${noRestore}; run as root with ip and iptables-restore for the real iptables-restore times)`)

for (const n of sizes) {
  const { services, slices } = makeState(n)
  const names = new ChainNameCache()
  // First sync: everything from the API objects.
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const ports = buildServicePortList(services, opts)
  const eps = buildEndpointsMap(slices, opts.hostname)
  const first = generateFromPorts(ports, eps, opts, { full: true, chainNames: names })
  const t1 = performance.now()
  const cpu0 = process.cpuUsage(c0)
  sampleMemory()
  console.log(
    `full ${n} services x ${ENDPOINTS} endpoints, first sync (objects -> maps -> chain names -> payload bytes): ${ms(t1 - t0)} (cpu ${cpuMs(cpu0)}), ` +
      `nat rules ${first.counts.natRules}, nat chains ${first.counts.natChains}, payload ${(bytesOf(first) / 1e6).toFixed(2)} MB, rss ${(peak / 1e6).toFixed(0)} MB`,
  )
  // Full resync of a running proxier: maps and names kept, every rule written again.
  names.rotate()
  const c1 = process.cpuUsage()
  const w0 = performance.now()
  const full = generateFromPorts(ports, eps, opts, { full: true, chainNames: names })
  const w1 = performance.now()
  const cpu1 = process.cpuUsage(c1)
  sampleMemory()
  console.log(`full ${n} services x ${ENDPOINTS} endpoints, resync of a running proxier (maps and chain names kept): ${ms(w1 - w0)} (cpu ${cpuMs(cpu1)})`)
  if (n === 10000) generate10k = t1 - t0
  const payloads: (readonly Buffer[])[] = [first.payloadChunks]
  if (n === 10000) {
    names.rotate()
    // One endpoint of one service changes: a partial sync writes only that service's chains.
    const changed = slices.map((s, i) => (i === 4242 ? { ...s, endpoints: [...s.endpoints.slice(1), { addresses: ['172.250.0.1'], nodeName: 'node-1' }] } : s))
    const p0 = performance.now()
    const eps2 = buildEndpointsMap(changed, opts.hostname)
    const p1 = performance.now()
    const pc = process.cpuUsage()
    // Large-cluster mode: like upstream, stale chains are hunted at most once per sync period, not here.
    const partial = generateFromPorts(ports, eps2, opts, { full: false, changedServices: new Set(['bench/svc-4242']), chainNames: names })
    const p2 = performance.now()
    const pcpu = process.cpuUsage(pc)
    sampleMemory()
    console.log(
      `partial 1 endpoint change at ${n} services: generate ${ms(p2 - p1)} (cpu ${cpuMs(pcpu)}; plus ${ms(p1 - p0)} rebuilding the endpoints map from objects, which a running proxier does per changed slice), ` +
        `payload ${(bytesOf(partial) / 1e6).toFixed(2)} MB`,
    )
    payloads.push(partial.payloadChunks)
  }
  if (noRestore === undefined) {
    for (const backend of backends) {
      const [fullMs, partialMs] = await timeRestores(`${backend}-${n}`, backend, payloads)
      const what = describe(backend)
      console.log(`restore full ${n} services x ${ENDPOINTS} endpoints: ${what} ${fullMs === undefined ? `did not finish within ${maxRestoreMs / 1000} s (stopped; namespace deleted)` : ms(fullMs)} (fresh namespace)`)
      if (partialMs !== undefined) console.log(`restore partial 1 endpoint change at ${n} services: ${what} ${ms(partialMs)}`)
      if (n === 10000) restore10k.set(backend, fullMs)
    }
  }
}
console.log(`peak rss ${(peak / 1e6).toFixed(0)} MB; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cpus (wall times scale with it)`)
if (generate10k > 0 && restore10k.size > 0) {
  console.log(`targets: first full sync at 10k x 10 < 1000 ms: ${generate10k < 1000 ? 'met' : 'missed'} (${ms(generate10k)}); peak rss < 600 MB: ${peak < 600e6 ? 'met' : 'missed'}`)
  for (const b of backends) {
    const r = restore10k.get(b)
    if (b !== 'system' && r !== undefined) console.log(`ratio generate/restore (${describe(b)}) ${(generate10k / r).toFixed(2)}`)
  }
  const sys = restore10k.get('system')
  if (sys !== undefined) console.log(`ratio generate/restore ${(generate10k / sys).toFixed(4)}`)
  else console.log(`ratio generate/restore < ${(generate10k / maxRestoreMs).toFixed(4)} (the system's iptables-restore did not finish within ${maxRestoreMs / 1000} s)`)
}
