// `kplab curl URL [--from NODE|POD] [-n 100]`: requests from inside the lab, one line per answer
// (which pod answered) and a per-pod summary. netns lab: `kplab loadgen` runs inside the machine's
// namespace, or a pod's own namespace (found by the kubelet's naming); local lab: from the host, with
// a ClusterIP URL translated to the userspace proxy's loopback listener.
import type { KubeObject } from '../api/meta.js'
import { resourceByName } from '../api/registry.js'
import type { Clock } from '../base/clock.js'
import { KplabError, UsageError } from '../base/errors.js'
import type { Rng } from '../base/rng.js'
import { loadKubeconfig } from '../client/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'
import { httpGet, type ProxyPortRow } from './experiment-cluster.js'
import { parseLoadResult, type ExperimentLab } from './experiment.js'
import { formatPodSummary, formatResponseLine, runLoad, type LoadResult, type ResponseRecord } from './loadgen.js'
import type { CliLauncher } from './supervisor.js'

/** What curl needs of a lab: the experiment's view plus the argv prefix of a machine. */
export interface CurlLab extends ExperimentLab {
  execPrefix(machine: string): string[]
}

/** Options of runCurl. */
export interface CurlOptions {
  lab: CurlLab
  url: string
  /** A machine (node1, client, master) or a pod name; default: client in netns mode, the host in local mode. */
  from?: string
  /** Namespace of the `from` pod. */
  namespace?: string
  requests: number
  keepAlive?: boolean
  launcher: CliLauncher
  clock: Clock
  rng: Rng
  out: { write(s: string): unknown }
}

/** Where the requests leave from: a machine, or a pod's own namespace on its node. */
export type CurlOrigin = { kind: 'host' } | { kind: 'machine'; machine: string } | { kind: 'pod'; pod: string; node: string; netns: string }

/**
 * The namespace the kubelet gives a pod: its node's namespace, `-p` and 8 UID characters. The same
 * rule as podNetnsName in src/kubelet/network/netns.ts, which lab/ may not import (import
 * direction); test/lab/curl.test.ts checks that the two agree.
 */
export function podNamespaceOf(nodeNetns: string, uid: string): string {
  return `${nodeNetns}-p${uid.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`
}

/** The netns name of a node machine, from its exec prefix (`ip netns exec <name>`). */
function machineNetns(lab: CurlLab, machine: string): string {
  const p = lab.execPrefix(machine)
  if (p.length === 0) throw new KplabError('ELAB', `machine ${machine} has no namespace in this lab`)
  return p[p.length - 1]!
}

/** Decides where the requests leave from (a pod is looked up through the API for its node and UID). */
export async function resolveOrigin(lab: CurlLab, from: string | undefined, namespace: string): Promise<CurlOrigin> {
  if (lab.mode === 'local') return { kind: 'host' }
  if (from === undefined || from === 'client' || from === 'master' || lab.nodes.includes(from)) return { kind: 'machine', machine: from ?? 'client' }
  const client = new RestClient(loadKubeconfig({ explicitPath: lab.kubeconfig }), { userAgent: 'kplab-curl' })
  let pod: KubeObject
  try {
    pod = await client.get(resourceByName('pods')!, namespace, from)
  } catch {
    throw new UsageError(`--from ${from}: neither a machine (client, master, ${lab.nodes.join(', ')}) nor a pod in namespace ${namespace}`)
  } finally {
    client.close()
  }
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName
  if (!node || !pod.metadata.uid) throw new UsageError(`--from ${from}: the pod is not running on a node yet`)
  // The kubelet names a pod's namespace after its node's namespace and the pod's UID.
  return { kind: 'pod', pod: from, node, netns: podNamespaceOf(machineNetns(lab, node), pod.metadata.uid) }
}

/** In a local lab, a ClusterIP or NodePort URL becomes the userspace proxy's loopback listener for it. */
export async function localURL(lab: CurlLab, url: string): Promise<string> {
  const u = new URL(url)
  const port = Number(u.port || 80)
  const rows = JSON.parse(await httpGet(`${lab.proxyMetricsURL(lab.nodes[0]!)}/ports`)) as ProxyPortRow[]
  const hit = rows.find((r) => (r.clusterIP === u.hostname && r.port === port) || (r.nodePort !== undefined && r.nodePort > 0 && r.nodePort === port))
  if (!hit) return url
  u.hostname = '127.0.0.1'
  u.port = String(hit.proxyPort)
  return u.toString()
}

/** Sends the requests, printing one line per answer and the per-pod summary; resolves with the result. */
export async function runCurl(o: CurlOptions): Promise<LoadResult> {
  const origin = await resolveOrigin(o.lab, o.from, o.namespace ?? 'default')
  const w = (s: string): void => void o.out.write(`${s}\n`)
  let result: LoadResult
  if (origin.kind === 'host') {
    const url = await localURL(o.lab, o.url)
    w(`# from the host (local lab${o.from ? `; --from ${o.from} needs the netns lab` : ''})${url !== o.url ? `: ${o.url} is served at ${url}` : ''}`)
    result = await runLoad({ url, requests: o.requests, keepAlive: o.keepAlive ?? false, clock: o.clock, rng: o.rng, onResponse: (r) => w(formatResponseLine(r)) })
  } else {
    const argv = [o.launcher.execPath, ...o.launcher.execArgv, o.launcher.entry, 'loadgen', '--url', o.url, '--requests', String(o.requests), o.keepAlive ? '--keepalive' : '--no-keepalive', '--each', '--json']
    const where = origin.kind === 'machine' ? origin.machine : origin.node
    const run = origin.kind === 'machine' ? argv : ['ip', 'netns', 'exec', origin.netns, ...argv]
    w(`# from ${origin.kind === 'machine' ? `machine ${origin.machine}` : `pod ${origin.pod} (namespace ${origin.netns} on ${origin.node})`}`)
    const r = await o.lab.exec(where, run, { timeoutMs: 600_000 })
    if (r.code !== 0) throw new KplabError('ELAB', `kplab loadgen in ${where} failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`)
    const lines = r.stdout.trim().split('\n')
    for (const l of lines.slice(0, -1)) w(formatResponseLine(JSON.parse(l) as ResponseRecord))
    result = parseLoadResult(lines[lines.length - 1]!)
  }
  w('')
  o.out.write(formatPodSummary(result))
  return result
}
