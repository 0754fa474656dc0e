// `kplab proxy [flags]` runs the proxy daemon; `kplab proxy ports` and `kplab proxy stats` read a
// running proxy's /ports and /stats (on --metrics-bind-address) and print them as tables.
import { homedir } from 'node:os'
import { Option, type Command } from 'commander'
import { realClock } from '../../base/clock.js'
import { UsageError } from '../../base/errors.js'
import { createLogger } from '../../base/logger.js'
import { entropyRng } from '../../base/rng.js'
import { loadKubeconfig } from '../../client/kubeconfig.js'
import { RestClient } from '../../client/rest-client.js'
import { SpawnRunner } from '../../netns/exec.js'
import { IptablesExec } from '../../proxy/iptables/restore.js'
import { PROXY_FLAGS, parseHostPort, parseProxyOptions, type RawProxyFlags } from '../../proxy/options.js'
import { ProxyServer } from '../../proxy/server.js'
import { PortalWriter } from '../../proxy/userspace/portals.js'
import type { PortMappingInfo } from '../../proxy/userspace/proxier.js'
import type { ServicePortStatsJson } from '../../proxy/userspace/stats.js'
import { processIo, type CliIo } from '../kube-flags.js'

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd()).join('\n') + '\n'
}

/** `kplab proxy ports` as text: service port, listener kind, algorithm, cluster address and local port. */
export function formatPorts(ports: readonly PortMappingInfo[]): string {
  if (ports.length === 0) return 'No service ports.\n'
  const rows = [['SERVICE PORT', 'KIND', 'ALGORITHM', 'CLUSTER-IP:PORT', 'NODEPORT', 'LISTEN', 'ENDPOINTS']]
  for (const p of ports) {
    rows.push([p.servicePort, p.kind, p.algorithm, `${p.clusterIP}:${p.port}/${p.protocol}`, p.nodePort ? String(p.nodePort) : '<none>', `${p.listenAddress}:${p.proxyPort}`, String(p.endpoints)])
  }
  return table(rows)
}

function bytes(n: number): string {
  if (n < 1024) return `${n}B`
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)}Ki`
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)}Mi`
  return `${(n / (1 << 30)).toFixed(1)}Gi`
}

/** Mean and an upper bound of the p99 from histogram buckets, in ms. */
function latency(l: ServicePortStatsJson['endpoints'][number]['latency']): [string, string] {
  if (l.count === 0) return ['-', '-']
  const mean = ((l.sumSeconds / l.count) * 1000).toFixed(2)
  const target = l.count * 0.99
  const b = l.buckets.find((x) => x.count >= target)
  const p99 = b === undefined || b.le === '+Inf' ? '>10000' : `≤${Number(b.le) * 1000}`
  return [mean, p99]
}

/** `kplab proxy stats` as text: one row per endpoint. */
export function formatStats(doc: { servicePorts: ServicePortStatsJson[] }): string {
  if (doc.servicePorts.length === 0) return 'No service ports.\n'
  const rows = [['SERVICE PORT', 'ALGORITHM', 'ENDPOINT', 'ACTIVE', 'CONNS', 'REQS', 'IN', 'OUT', 'ERRORS', 'MEAN(ms)', 'P99(ms)']]
  for (const p of doc.servicePorts) {
    if (p.endpoints.length === 0) rows.push([p.servicePort, p.algorithm, '<none>', '0', '0', '0', '0B', '0B', '0', '-', '-'])
    for (const e of p.endpoints) {
      const [mean, p99] = latency(e.latency)
      rows.push([p.servicePort, p.algorithm, e.endpoint, String(e.active), String(e.connections), String(e.requests), bytes(e.bytesIn), bytes(e.bytesOut), String(e.errors), mean, p99])
    }
  }
  return table(rows)
}

async function fetchJson(address: string, path: string): Promise<unknown> {
  const { host, port } = parseHostPort('--metrics-bind-address', address)
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`
  let res: Response
  try {
    res = await fetch(url)
  } catch (e) {
    throw new UsageError(`cannot reach the proxy at ${url} (${(e as Error).message}): is \`kplab proxy\` running with --metrics-bind-address ${address}?`)
  }
  if (!res.ok) throw new UsageError(`${url} answered ${res.status}`)
  return res.json()
}

/** Registers `kplab proxy`, `kplab proxy ports` and `kplab proxy stats`. */
export function registerProxy(program: Command, io: CliIo = processIo()): void {
  const cmd = program.command('proxy').description('run the kplab proxy (userspace listeners with per-Service load balancing, or iptables rules)')
  for (const f of PROXY_FLAGS) {
    const o = new Option(f.flags, f.description)
    if (f.default !== undefined) o.default(f.default)
    cmd.addOption(o)
  }
  cmd.action(async (flags: RawProxyFlags) => {
    const opts = parseProxyOptions(flags)
    const logger = createLogger({ component: 'proxy', level: io.env.KPLAB_LOG_LEVEL ?? 'info' })
    const root = typeof process.getuid === 'function' && process.getuid() === 0
    if (opts.netns !== undefined && !root) throw new UsageError('--netns needs root (it writes nat rules in that namespace); drop it to listen on loopback only')
    const iptables = opts.netns !== undefined ? new IptablesExec({ runner: new SpawnRunner(), netns: opts.netns }) : undefined
    if (opts.cleanup) {
      if (iptables === undefined) throw new UsageError('--cleanup needs --netns: the namespace whose portal rules to remove')
      if (opts.mode === 'iptables') {
        // upstream: kube-proxy --cleanup (CleanupLeftovers): jump rules, then every KUBE-* chain.
        const r = await iptables.cleanup()
        for (const e of r.errors) io.err.write(`cleanup: ${e.message}\n`)
        io.out.write(`removed ${r.jumpRulesDeleted} jump rules and ${r.chainsDeleted.length} KUBE- chains in ${opts.netns}\n`)
        if (r.errors.length > 0) throw new UsageError(`--cleanup left ${r.errors.length} errors in ${opts.netns} (see above)`)
        return
      }
      await new PortalWriter(iptables).cleanup()
      io.out.write(`removed the userspace portal rules in ${opts.netns}\n`)
      return
    }
    const config = loadKubeconfig({ explicitPath: opts.kubeconfig, kubeconfigEnv: io.env.KUBECONFIG, homeDir: io.env.HOME ?? homedir() })
    const client = new RestClient(config, { userAgent: 'kplab-proxy/0.1.0' })
    const server = new ProxyServer(opts, { client, clock: realClock, rng: entropyRng(), logger, iptables })
    const ac = new AbortController()
    const stop = (): void => ac.abort()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    server.on('started', (url: string) => {
      logger.info({ metrics: url, mode: opts.mode }, 'proxy started')
      // The lab waits on this line (as on the API server's "listening on").
      io.out.write(`kplab proxy (${opts.mode}) serving metrics on ${url}\n`)
    })
    try {
      await server.start(ac.signal)
    } finally {
      if (iptables !== undefined && opts.mode === 'userspace') await new PortalWriter(iptables).cleanup().catch(() => {})
      client.close()
    }
  })
  cmd
    .command('ports')
    .description('show which local port serves each service port (what the REDIRECT rules point at)')
    .option('--metrics-bind-address <host:port>', 'where the proxy serves /ports', '127.0.0.1:10249')
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (f: { metricsBindAddress: string; output: string }) => {
      const ports = (await fetchJson(f.metricsBindAddress, '/ports')) as PortMappingInfo[]
      io.out.write(f.output === 'json' ? JSON.stringify(ports, null, 2) + '\n' : formatPorts(ports))
    })
  cmd
    .command('stats')
    .description('per-endpoint connections, requests, bytes, errors and latency of a running proxy')
    .option('--metrics-bind-address <host:port>', 'where the proxy serves /stats', '127.0.0.1:10249')
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (f: { metricsBindAddress: string; output: string }) => {
      const doc = (await fetchJson(f.metricsBindAddress, '/stats')) as { servicePorts: ServicePortStatsJson[] }
      io.out.write(f.output === 'json' ? JSON.stringify(doc, null, 2) + '\n' : formatStats(doc))
    })
}
