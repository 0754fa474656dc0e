import { UsageError } from '../base/errors.js'

/** One command-line flag of the API server: name, help, default and how to read the value. */
export interface FlagSpec {
  /** Flag as written on the command line, with its value placeholder (`--secure-port <port>`). */
  flag: string
  /** Key in ApiServerOptions. */
  key: keyof ApiServerOptions
  description: string
  /** Default shown in --help and used when the flag is absent (undefined = none). */
  defaultValue?: string
}

/** The API server's settings after flag parsing. */
export interface ApiServerOptions {
  dataDir: string
  bindAddress: string
  securePort: number
  storageBackend: 'embedded' | 'etcd3'
  etcdServers: string[]
  serviceClusterIPRange: string
  serviceNodePortRange: string
  /** A static token CSV to use instead of the generated admin token file. */
  tokenAuthFile?: string
  /** Address written into the `kubernetes` EndpointSlice and the certificate; defaults to the bind address. */
  advertiseAddress?: string
  maxRequestBytes: number
}

/** Upstream's default request body limit (3 MiB; staging/src/k8s.io/apiserver/pkg/server/config.go MaxRequestBodyBytes). */
export const DEFAULT_MAX_REQUEST_BYTES = 3 * 1024 * 1024

/** Every flag of `kplab apiserver`, in help order (upstream's kube-apiserver flag names). */
export const APISERVER_FLAGS: readonly FlagSpec[] = [
  { flag: '--data-dir <dir>', key: 'dataDir', description: 'directory for the store, certificates, tokens and admin.kubeconfig', defaultValue: '~/.kplab/apiserver' },
  { flag: '--bind-address <ip>', key: 'bindAddress', description: 'address to listen on', defaultValue: '127.0.0.1' },
  { flag: '--secure-port <port>', key: 'securePort', description: 'HTTPS port (0 = any free port; the chosen one is printed)', defaultValue: '6443' },
  { flag: '--storage-backend <name>', key: 'storageBackend', description: 'storage backend: embedded | etcd3', defaultValue: 'embedded' },
  { flag: '--etcd-servers <urls>', key: 'etcdServers', description: 'comma-separated etcd URLs (with --storage-backend etcd3)', defaultValue: 'http://127.0.0.1:2379' },
  { flag: '--service-cluster-ip-range <cidr>', key: 'serviceClusterIPRange', description: 'CIDR from which Service ClusterIPs are allocated', defaultValue: '10.96.0.0/12' },
  { flag: '--service-node-port-range <range>', key: 'serviceNodePortRange', description: 'port range reserved for NodePort Services', defaultValue: '30000-32767' },
  { flag: '--token-auth-file <file>', key: 'tokenAuthFile', description: 'static token CSV (token,user,uid,"group1,group2"); default: DATA_DIR/tokens.csv, generated' },
  { flag: '--advertise-address <ip>', key: 'advertiseAddress', description: 'address advertised in the kubernetes EndpointSlice (default: the bind address)' },
  { flag: '--max-request-bytes <n>', key: 'maxRequestBytes', description: 'largest accepted request body in bytes', defaultValue: String(DEFAULT_MAX_REQUEST_BYTES) },
]

/**
 * Turns raw flag values (strings from commander, keyed like ApiServerOptions) into checked options.
 * `home` expands a leading `~`.
 */
export function resolveApiServerOptions(raw: Record<string, unknown>, home: string): ApiServerOptions {
  const get = (k: keyof ApiServerOptions): string | undefined => {
    const v = raw[k]
    if (v !== undefined && v !== null && v !== '') return String(v)
    return APISERVER_FLAGS.find((f) => f.key === k)?.defaultValue
  }
  const port = Number(get('securePort'))
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--secure-port: "${get('securePort')}" is not a port; use 0-65535 (0 picks a free port)`)
  const backend = get('storageBackend')
  if (backend !== 'embedded' && backend !== 'etcd3') throw new UsageError(`--storage-backend: "${backend}" is not supported; use embedded or etcd3`)
  const maxBytes = Number(get('maxRequestBytes'))
  if (!Number.isInteger(maxBytes) || maxBytes < 1024) throw new UsageError(`--max-request-bytes: "${get('maxRequestBytes')}" must be an integer of at least 1024`)
  const cidr = get('serviceClusterIPRange')!
  if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr)) throw new UsageError(`--service-cluster-ip-range: "${cidr}" is not an IPv4 CIDR like 10.96.0.0/12`)
  const ports = get('serviceNodePortRange')!
  if (!/^\d+-\d+$/.test(ports)) throw new UsageError(`--service-node-port-range: "${ports}" is not a range like 30000-32767`)
  const dataDir = get('dataDir')!.replace(/^~(?=$|\/)/, home)
  const opts: ApiServerOptions = {
    dataDir,
    bindAddress: get('bindAddress')!,
    securePort: port,
    storageBackend: backend,
    etcdServers: get('etcdServers')!.split(',').map((s) => s.trim()).filter(Boolean),
    serviceClusterIPRange: cidr,
    serviceNodePortRange: ports,
    maxRequestBytes: maxBytes,
  }
  const tokenFile = get('tokenAuthFile')
  if (tokenFile) opts.tokenAuthFile = tokenFile.replace(/^~(?=$|\/)/, home)
  const adv = get('advertiseAddress')
  if (adv) opts.advertiseAddress = adv
  return opts
}
