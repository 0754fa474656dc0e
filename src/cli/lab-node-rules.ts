// What `kplab rules --node` and `kplab trace --node` read from a running lab: the node's live
// iptables (iptables-save inside its namespace), its addresses, and the cluster's Services and
// EndpointSlices for `--explain`.
import { join } from 'node:path'
import type { EndpointSlice, Service } from '../api/types.js'
import { resourceFor } from '../api/registry.js'
import { UsageError } from '../base/errors.js'
import { loadKubeconfig } from '../client/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'
import { openLab, type LabHandle } from '../lab/lab.js'
import type { ProxyState } from '../proxy/iptables/generate.js'
import type { CliIo } from './kube-flags.js'
import { labStateRoot } from './lab-home.js'

/** Opens lab `name` (state under $KPLAB_HOME or ~/.kplab) and checks that `node` is one of its nodes. */
export async function openLabNode(io: CliIo, name: string, node: string): Promise<LabHandle> {
  const lab = await openLab(name, labStateRoot(io.env), { clock: io.clock })
  if (!lab.nodes.includes(node)) throw new UsageError(`--node ${node}: lab "${name}" has nodes ${lab.nodes.join(', ')}`)
  if (lab.mode !== 'netns') {
    throw new UsageError(`--node ${node}: lab "${name}" runs in local mode with the userspace proxy, which writes no iptables rules; see kplab proxy ports, or bring up a netns lab as root`)
  }
  return lab
}

/** The node's live iptables-save output (all tables). */
export async function nodeIptablesSave(lab: LabHandle, node: string): Promise<string> {
  const r = await lab.exec(node, ['iptables-save'], { timeoutMs: 30_000 })
  if (r.code !== 0) throw new UsageError(`iptables-save on ${node} failed (exit ${r.code}): ${r.stderr.trim().split('\n')[0] ?? ''}`)
  return r.stdout
}

/** Only what kube-proxy owns in an iptables-save dump: KUBE- chains, their rules and the jumps to them. */
export function kubeProxyPart(dump: string): string {
  const out: string[] = []
  for (const line of dump.split('\n')) {
    if (line.startsWith('*') || line === 'COMMIT' || line.startsWith(':KUBE-') || (line.startsWith('-A ') && line.includes('KUBE-'))) out.push(line)
  }
  return `${out.join('\n')}\n`
}

/** The node's IPv4 addresses (for deciding whether a traced packet is sent by the node itself). */
export async function nodeAddresses(lab: LabHandle, node: string): Promise<string[]> {
  const r = await lab.exec(node, ['ip', '-o', '-4', 'addr', 'show'])
  return [...r.stdout.matchAll(/\sinet\s(\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!)
}

/** Services and EndpointSlices of every namespace, from the lab's API server. */
export async function labProxyState(lab: LabHandle): Promise<ProxyState> {
  const client = new RestClient(loadKubeconfig({ explicitPath: lab.kubeconfig }), { userAgent: 'kplab-rules/0.1.0' })
  try {
    const services = await client.listAll<Service>(resourceFor('', 'v1', 'services')!)
    const slices = await client.listAll<EndpointSlice>(resourceFor('discovery.k8s.io', 'v1', 'endpointslices')!)
    return { services: services.items, endpointSlices: slices.items }
  } finally {
    client.close()
  }
}
