// The kubelet's flags, declared once: they feed commander, --help and the README.
import { UsageError } from '../base/errors.js'

/** One command-line flag of the kubelet. */
export interface KubeletFlagSpec {
  flag: string
  key: keyof RawKubeletOptions
  description: string
  defaultValue?: string
}

/** Flag values as strings, keyed like KubeletOptions. */
export type RawKubeletOptions = Record<
  | 'kubeconfig'
  | 'hostnameOverride'
  | 'nodeIp'
  | 'podCidr'
  | 'rootDir'
  | 'netns'
  | 'podNetwork'
  | 'port'
  | 'cpu'
  | 'memory'
  | 'maxPods'
  | 'nodeStatusUpdateFrequency'
  | 'nodeLeaseDurationSeconds'
  | 'tlsCertFile'
  | 'tlsPrivateKeyFile'
  | 'nodeLabels',
  string | undefined
>

/** The kubelet's settings after flag parsing. */
export interface KubeletOptions {
  kubeconfig?: string
  nodeName: string
  nodeIP: string
  podCidr?: string
  rootDir: string
  /** The node's network namespace (root pod networking). */
  netns?: string
  podNetwork: 'netns' | 'loopback'
  port: number
  cpu: string
  memory: string
  maxPods: number
  nodeStatusUpdateFrequencyMs: number
  nodeLeaseDurationSeconds: number
  tlsCertFile?: string
  tlsPrivateKeyFile?: string
  nodeLabels: Record<string, string>
}

/** Every flag of `kplab kubelet`, in help order (upstream's names where upstream has the flag). */
export const KUBELET_FLAGS: readonly KubeletFlagSpec[] = [
  { flag: '--kubeconfig <file>', key: 'kubeconfig', description: 'kubeconfig to reach the API server (default: $KUBECONFIG or ~/.kube/config)' },
  { flag: '--hostname-override <name>', key: 'hostnameOverride', description: 'node name (default: the host name)' },
  { flag: '--node-ip <ip>', key: 'nodeIp', description: 'InternalIP of the node; the kubelet listens on it', defaultValue: '127.0.0.1' },
  { flag: '--pod-cidr <cidr>', key: 'podCidr', description: 'pod CIDR of this node (default: spec.podCIDR set by the controller manager)' },
  { flag: '--root-dir <dir>', key: 'rootDir', description: 'directory for pod state, IPAM and logs', defaultValue: '~/.kplab/kubelet' },
  { flag: '--netns <name>', key: 'netns', description: "the node's network namespace (with --pod-network netns; needs root)" },
  { flag: '--pod-network <mode>', key: 'podNetwork', description: 'netns (root: a namespace per pod on the node bridge) | loopback (a 127.x.y.z per pod)', defaultValue: 'loopback' },
  { flag: '--port <port>', key: 'port', description: 'port of the kubelet endpoint (logs); 0 picks a free one', defaultValue: '10250' },
  { flag: '--cpu <quantity>', key: 'cpu', description: "cpu capacity reported (default: the host's CPU count)" },
  { flag: '--memory <quantity>', key: 'memory', description: "memory capacity reported (default: the host's memory)" },
  { flag: '--max-pods <n>', key: 'maxPods', description: 'pods capacity reported', defaultValue: '110' },
  { flag: '--node-status-update-frequency <duration>', key: 'nodeStatusUpdateFrequency', description: 'how often the node status is written (e.g. 10s)', defaultValue: '10s' },
  { flag: '--node-lease-duration-seconds <n>', key: 'nodeLeaseDurationSeconds', description: 'duration of the node Lease; renewed every quarter of it', defaultValue: '40' },
  { flag: '--tls-cert-file <file>', key: 'tlsCertFile', description: 'serve the kubelet endpoint over HTTPS with this certificate (default: plain HTTP)' },
  { flag: '--tls-private-key-file <file>', key: 'tlsPrivateKeyFile', description: 'key of --tls-cert-file' },
  { flag: '--node-labels <k=v,...>', key: 'nodeLabels', description: 'labels to add to the Node when registering' },
]

/** Parses a Go-style duration (`10s`, `500ms`, `1m`, `1m30s`) into milliseconds. */
export function parseDuration(s: string, flag: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g
  let total = 0
  let matched = ''
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h']
    matched += m[0]
  }
  if (matched !== s || total <= 0) throw new UsageError(`${flag}: "${s}" is not a positive duration; use e.g. 10s, 500ms or 1m`)
  return total
}

/** What the host says, for defaults (read by the CLI; absent in tests: 4 CPUs and 8Gi). */
export interface KubeletHostInfo {
  home: string
  hostname: string
  isRoot: boolean
  /** CPU count of the host, e.g. "8". */
  hostCpu?: string
  /** Memory of the host as a quantity, e.g. "16318712Ki". */
  hostMemory?: string
}

/** Turns raw flag values into checked options; `home` expands `~`, `hostname` is the default node name. */
export function resolveKubeletOptions(raw: Partial<RawKubeletOptions>, env: KubeletHostInfo): KubeletOptions {
  const get = (k: keyof RawKubeletOptions): string | undefined => {
    const v = raw[k]
    if (v !== undefined && v !== null && v !== '') return String(v)
    return KUBELET_FLAGS.find((f) => f.key === k)?.defaultValue
  }
  const int = (k: keyof RawKubeletOptions, flag: string, min: number, max: number): number => {
    const v = get(k)
    const n = Number(v)
    if (!/^\d+$/.test(String(v)) || n < min || n > max) throw new UsageError(`${flag}: "${v}" must be an integer from ${min} to ${max}`)
    return n
  }
  const nodeName = (get('hostnameOverride') ?? env.hostname).toLowerCase()
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(nodeName)) throw new UsageError(`--hostname-override: "${nodeName}" is not a valid node name (lower-case letters, digits, "-" and ".")`)
  const nodeIP = get('nodeIp')!
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(nodeIP)) throw new UsageError(`--node-ip: "${nodeIP}" is not an IPv4 address`)
  const podCidr = get('podCidr')
  if (podCidr !== undefined && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(podCidr)) throw new UsageError(`--pod-cidr: "${podCidr}" is not an IPv4 CIDR like 10.244.1.0/24`)
  const mode = get('podNetwork')
  if (mode !== 'netns' && mode !== 'loopback') throw new UsageError(`--pod-network: "${mode}" is not supported; use netns or loopback`)
  const netns = get('netns')
  if (mode === 'netns') {
    if (!env.isRoot) throw new UsageError('--pod-network netns needs root (it creates network namespaces); run as root or use --pod-network loopback')
    if (!netns) throw new UsageError("--pod-network netns needs --netns <name>: the node's namespace, whose bridge the pods join (the host's root namespace is never changed)")
  }
  const cert = get('tlsCertFile')
  const key = get('tlsPrivateKeyFile')
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert-file and --tls-private-key-file go together: give both or neither')
  const labels: Record<string, string> = {}
  for (const pair of (get('nodeLabels') ?? '').split(',').filter(Boolean)) {
    const [k, v = ''] = pair.split('=')
    if (!k) throw new UsageError(`--node-labels: "${pair}" is not key=value`)
    labels[k.trim()] = v.trim()
  }
  const opts: KubeletOptions = {
    nodeName,
    nodeIP,
    rootDir: get('rootDir')!.replace(/^~(?=$|\/)/, env.home),
    podNetwork: mode,
    port: int('port', '--port', 0, 65535),
    cpu: get('cpu') ?? env.hostCpu ?? '4',
    memory: get('memory') ?? env.hostMemory ?? '8Gi',
    maxPods: int('maxPods', '--max-pods', 1, 10_000),
    nodeStatusUpdateFrequencyMs: parseDuration(get('nodeStatusUpdateFrequency')!, '--node-status-update-frequency'),
    nodeLeaseDurationSeconds: int('nodeLeaseDurationSeconds', '--node-lease-duration-seconds', 1, 3600),
    nodeLabels: labels,
  }
  const kubeconfig = get('kubeconfig')
  if (kubeconfig) opts.kubeconfig = kubeconfig.replace(/^~(?=$|\/)/, env.home)
  if (podCidr) opts.podCidr = podCidr
  if (netns) opts.netns = netns
  if (cert && key) {
    opts.tlsCertFile = cert
    opts.tlsPrivateKeyFile = key
  }
  return opts
}
