// `kplab proxy` flags: one declarative list (feeding commander, --help and the README) and the
// validation that turns raw flag values into ProxyOptions, refusing bad values by flag name.
import { UsageError } from '../base/errors.js'
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
  }
}
