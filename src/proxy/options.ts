// `kplab proxy` flags: one declarative list (feeding commander, --help and the README) and the
// validation that turns raw flag values into ProxyOptions, refusing bad values by flag name.
import { UsageError } from '../base/errors.js'
import { generatorOptionsFromFlags } from './iptables/generator-flags.js'
import type { GeneratorOptions } from './iptables/options.js'
import { ALGORITHMS, DEFAULT_ALGORITHM, findAlgorithm } from '../lb/registry.js'

/** The proxy's backends. */
export type ProxyMode = 'iptables' | 'userspace'

/** One flag of `kplab proxy`. */
export interface ProxyFlag {
  /** commander spelling, e.g. `--lb-algorithm <name>`. */
  flags: string
  description: string
  default?: string | boolean
}

/** Every flag, named as kube-proxy names them where kube-proxy has them. */
export const PROXY_FLAGS: readonly ProxyFlag[] = [
  { flags: '--mode <mode>', description: 'which proxy mode to use: iptables or userspace', default: 'userspace' },
  { flags: '--kubeconfig <file>', description: 'path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' },
  { flags: '--hostname-override <name>', description: 'the node name: endpoints with this nodeName are local', default: 'node-1' },
  { flags: '--lb-algorithm <name>', description: `userspace: algorithm for Services without kplab.io/lb-algorithm (${ALGORITHMS.map((a) => a.name).join(', ')})`, default: DEFAULT_ALGORITHM },
  { flags: '--metrics-bind-address <host:port>', description: 'address of /metrics (Prometheus), /stats (JSON) and /ports', default: '127.0.0.1:10249' },
  { flags: '--bind-address <ip>', description: 'userspace: address the listeners bind (default 127.0.0.1; 0.0.0.0 when --netns REDIRECTs traffic to them)' },
  { flags: '--netns <name>', description: 'network namespace whose nat table gets the REDIRECT rules (root only; the proxy must run inside it)' },
  { flags: '--cleanup', description: 'remove the rules this proxy mode writes, then exit', default: false },
  { flags: '--udp-idle-timeout <ms>', description: 'userspace: a UDP flow idle this long is closed', default: '30000' },
  { flags: '--service-proxy-name <name>', description: `handle only Services labelled ${'service.kubernetes.io/service-proxy-name'}=<name> (default: only Services without that label, as kube-proxy)` },
  { flags: '--iptables-min-sync-period <duration>', description: 'iptables: the minimum period between rule syncs (e.g. 1s, 500ms, 0 to sync on every change)', default: '1s' },
  { flags: '--node-ip <ips>', description: 'iptables: the node\'s IP address(es), comma-separated (first is the primary)' },
  { flags: '--cluster-cidr <cidr>', description: 'iptables: pod CIDR; traffic to a Service from outside it is masqueraded (detect-local-mode ClusterCIDR)' },
  { flags: '--masquerade-all', description: 'iptables: SNAT all traffic sent via Service cluster IPs', default: false },
  { flags: '--masquerade-bit <n>', description: 'iptables: bit of the fwmark that marks packets to SNAT (0-31)', default: '14' },
  { flags: '--nodeport-addresses <cidrs>', description: 'iptables: comma-separated CIDRs of node addresses that accept NodePorts (default: all)' },
  { flags: '--iptables-localhost-nodeports <bool>', description: 'iptables: accept NodePort connections on 127.0.0.1 (true|false)', default: 'true' },
  { flags: '--iptables-sync-period <duration>', description: 'iptables: the period of full resyncs even without changes (e.g. 30s, 1m)', default: '30s' },
]

/** Validated options of `kplab proxy`. */
export interface ProxyOptions {
  mode: ProxyMode
  kubeconfig: string | undefined
  hostnameOverride: string
  lbAlgorithm: string
  metricsHost: string
  metricsPort: number
  bindAddress: string
  netns: string | undefined
  cleanup: boolean
  udpIdleTimeoutMs: number
  /** Only Services carrying SERVICE_PROXY_NAME_LABEL with this value; undefined: only those without it. */
  serviceProxyName: string | undefined
  /** iptables: minimum milliseconds between syncs. */
  minSyncPeriodMs: number
  /** iptables: milliseconds between periodic syncs. */
  syncPeriodMs: number
  /** iptables: rule-shaping options (node IPs, cluster CIDR, masquerade). */
  generator: Partial<GeneratorOptions>
}

/** Raw flag values as commander hands them over. */
export interface RawProxyFlags {
  mode?: string
  kubeconfig?: string
  hostnameOverride?: string
  lbAlgorithm?: string
  metricsBindAddress?: string
  bindAddress?: string
  netns?: string
  cleanup?: boolean
  udpIdleTimeout?: string
  serviceProxyName?: string
  iptablesMinSyncPeriod?: string
  iptablesSyncPeriod?: string
  nodeIp?: string
  clusterCidr?: string
  masqueradeAll?: boolean
  masqueradeBit?: string
  nodeportAddresses?: string
  iptablesLocalhostNodeports?: string
}

/** Splits `host:port` (IPv6 in brackets); port 0 picks a free port. */
export function parseHostPort(flag: string, v: string): { host: string; port: number } {
  const i = v.lastIndexOf(':')
  const host = i > 0 ? v.slice(0, i).replace(/^\[(.*)\]$/, '$1') : ''
  const port = Number(v.slice(i + 1))
  if (i <= 0 || host === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`invalid value "${v}" for ${flag}: use host:port, e.g. 127.0.0.1:10249 (port 0 picks a free one)`)
  }
  return { host, port }
}

/** The label with which a Service asks for another proxy than kube-proxy (upstream: apis.LabelServiceProxyName). */
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name'
/** Label marking the slices of headless Services, which no proxy handles (upstream: v1.IsHeadlessService). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'

/** The label selector of the proxy's Service and EndpointSlice informers. */
// upstream: cmd/kube-proxy/app/server.go (noProxyName, noHeadlessEndpoints)
export function proxyLabelSelector(serviceProxyName: string | undefined): string {
  const own = serviceProxyName === undefined ? `!${SERVICE_PROXY_NAME_LABEL}` : `${SERVICE_PROXY_NAME_LABEL}=${serviceProxyName}`
  return `${own},!${HEADLESS_LABEL}`
}

/** Parses a Go-style duration flag (`1s`, `500ms`, `1m30s`, `0`) into milliseconds. */
export function parseDurationFlag(flag: string, v: string): number {
  if (v === '0') return 0
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy
  let total = 0
  let m: RegExpExecArray | null
  let end = 0
  while ((m = re.exec(v)) !== null) {
    total += Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[m[2] as 'ms']
    end = re.lastIndex
  }
  if (v === '' || end !== v.length) throw new UsageError(`invalid value "${v}" for ${flag}: use a duration such as 1s, 500ms or 1m`)
  return Math.round(total)
}

/** Validates raw flags into ProxyOptions. */
export function parseProxyOptions(raw: RawProxyFlags): ProxyOptions {
  const mode = raw.mode ?? 'userspace'
  if (mode !== 'iptables' && mode !== 'userspace') throw new UsageError(`invalid value "${mode}" for --mode: use iptables or userspace`)
  const lbAlgorithm = raw.lbAlgorithm ?? DEFAULT_ALGORITHM
  const algo = findAlgorithm(lbAlgorithm)
  if (algo === undefined) throw new UsageError(`invalid value "${lbAlgorithm}" for --lb-algorithm: use one of ${ALGORITHMS.map((a) => a.name).join(', ')}`)
  const metrics = parseHostPort('--metrics-bind-address', raw.metricsBindAddress ?? '127.0.0.1:10249')
  const udp = Number(raw.udpIdleTimeout ?? '30000')
  if (!Number.isInteger(udp) || udp < 10) throw new UsageError(`invalid value "${raw.udpIdleTimeout}" for --udp-idle-timeout: use milliseconds ≥ 10`)
  const netns = raw.netns
  if (netns !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(netns)) throw new UsageError(`invalid value "${netns}" for --netns: a namespace name (letters, digits, . _ -)`)
  const name = raw.serviceProxyName
  if (name !== undefined && !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(name)) throw new UsageError(`invalid value "${name}" for --service-proxy-name: a label value (letters, digits, - _ ., at most 63)`)
  const minSyncPeriodMs = parseDurationFlag('--iptables-min-sync-period', raw.iptablesMinSyncPeriod ?? '1s')
  const syncPeriodMs = parseDurationFlag('--iptables-sync-period', raw.iptablesSyncPeriod ?? '30s')
  if (syncPeriodMs <= 0) throw new UsageError(`invalid value "${raw.iptablesSyncPeriod}" for --iptables-sync-period: must be greater than 0, e.g. 30s`)
  if (minSyncPeriodMs > syncPeriodMs) throw new UsageError(`--iptables-min-sync-period (${raw.iptablesMinSyncPeriod}) must be no larger than --iptables-sync-period (${raw.iptablesSyncPeriod ?? '30s'})`)
  return {
    mode,
    kubeconfig: raw.kubeconfig,
    hostnameOverride: raw.hostnameOverride ?? 'node-1',
    lbAlgorithm: algo.name,
    metricsHost: metrics.host,
    metricsPort: metrics.port,
    bindAddress: raw.bindAddress ?? (netns !== undefined ? '0.0.0.0' : '127.0.0.1'),
    netns,
    cleanup: raw.cleanup === true,
    udpIdleTimeoutMs: udp,
    serviceProxyName: name === undefined || name === '' ? undefined : name,
    minSyncPeriodMs,
    syncPeriodMs,
    generator: generatorOptionsFromFlags({ ...raw, hostnameOverride: raw.hostnameOverride ?? 'node-1' }),
  }
}
