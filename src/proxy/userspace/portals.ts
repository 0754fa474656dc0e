// The nat rules that bring Service traffic to the userspace proxy's local ports, in the layout of
// the original userspace kube-proxy: KUBE-PORTALS-CONTAINER (from PREROUTING: pods and other hosts)
// and KUBE-PORTALS-HOST (from OUTPUT: the node itself) REDIRECT ClusterIP:port and external IPs;
// KUBE-NODEPORT-CONTAINER / KUBE-NODEPORT-HOST REDIRECT NodePorts on local addresses.
// upstream: pkg/proxy/userspace/proxier.go (v1.25, iptablesContainerPortalArgs, iptablesHostPortalArgs,
// iptablesInit) — removed upstream in 1.26; host traffic is REDIRECTed here instead of DNATed to the node IP.
import type { IptablesPrimitives } from '../iptables/restore.js'

/** The portal chains, in upstream's order. */
export const PORTAL_CHAINS = ['KUBE-PORTALS-CONTAINER', 'KUBE-PORTALS-HOST', 'KUBE-NODEPORT-CONTAINER', 'KUBE-NODEPORT-HOST'] as const

/** One service port as the portals see it: where its traffic arrives and the proxy port it goes to. */
export interface PortalMapping {
  /** ServicePortName string, used as the rule comment. */
  servicePort: string
  /** tcp | udp */
  protocol: string
  clusterIP: string
  port: number
  externalIPs: readonly string[]
  /** 0: none. */
  nodePort: number
  /** The local port the proxy listens on for this service port. */
  proxyPort: number
}

/** Built-in → portal chain jumps: [chain, args]. */
// upstream: pkg/proxy/userspace/proxier.go (iptablesInit: the comments are upstream's)
export const PORTAL_JUMPS: readonly { chain: string; args: string[] }[] = [
  { chain: 'PREROUTING', args: ['-m', 'comment', '--comment', 'handle ClusterIPs; NOTE: this must be before the NodePort rules', '-j', 'KUBE-PORTALS-CONTAINER'] },
  { chain: 'OUTPUT', args: ['-m', 'comment', '--comment', 'handle ClusterIPs; NOTE: this must be before the NodePort rules', '-j', 'KUBE-PORTALS-HOST'] },
  { chain: 'PREROUTING', args: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-m', 'comment', '--comment', 'handle service NodePorts; NOTE: this must be the last rule in the chain', '-j', 'KUBE-NODEPORT-CONTAINER'] },
  { chain: 'OUTPUT', args: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-m', 'comment', '--comment', 'handle service NodePorts; NOTE: this must be the last rule in the chain', '-j', 'KUBE-NODEPORT-HOST'] },
]

function quote(s: string): string {
  return /^[\w./:-]+$/.test(s) ? s : `"${s.replace(/"/g, '\\"')}"`
}

/** The iptables-restore payload (nat table) for these mappings; pure, sorted by service port. */
export function portalsPayload(mappings: readonly PortalMapping[]): string {
  const lines = ['*nat', ...PORTAL_CHAINS.map((c) => `:${c} - [0:0]`)]
  const sorted = [...mappings].sort((a, b) => (a.servicePort < b.servicePort ? -1 : a.servicePort > b.servicePort ? 1 : a.protocol < b.protocol ? -1 : 1))
  for (const m of sorted) {
    const match = `-m comment --comment ${quote(m.servicePort)} -p ${m.protocol} -m ${m.protocol}`
    const redirect = `-j REDIRECT --to-ports ${m.proxyPort}`
    for (const ip of [m.clusterIP, ...m.externalIPs]) {
      const dst = `-d ${ip}/${ip.includes(':') ? 128 : 32}`
      lines.push(`-A KUBE-PORTALS-CONTAINER ${match} --dport ${m.port} ${dst} ${redirect}`)
      lines.push(`-A KUBE-PORTALS-HOST ${match} --dport ${m.port} ${dst} ${redirect}`)
    }
    if (m.nodePort !== 0) {
      lines.push(`-A KUBE-NODEPORT-CONTAINER ${match} --dport ${m.nodePort} ${redirect}`)
      lines.push(`-A KUBE-NODEPORT-HOST ${match} --dport ${m.nodePort} ${redirect}`)
    }
  }
  lines.push('COMMIT', '')
  return lines.join('\n')
}

/** Writes portal rules through an iptables port (real IptablesExec, or FakeIptables in tests). */
export class PortalWriter {
  private initialised = false

  constructor(private readonly ipt: IptablesPrimitives) {}

  /** Replaces every portal rule with those for `mappings` (one atomic restore of the four chains). */
  async sync(mappings: readonly PortalMapping[]): Promise<void> {
    if (!this.initialised) {
      for (const c of PORTAL_CHAINS) await this.ipt.ensureChain('nat', c)
      for (const j of PORTAL_JUMPS) await this.ipt.ensureRule('append', 'nat', j.chain, j.args)
      this.initialised = true
    }
    await this.ipt.restore(portalsPayload(mappings), { table: 'nat', noflush: true })
  }

  /** Removes the jumps and the portal chains (`kplab proxy --cleanup`, and on exit). */
  async cleanup(): Promise<void> {
    for (const j of PORTAL_JUMPS) await this.ipt.deleteRule('nat', j.chain, j.args)
    for (const c of PORTAL_CHAINS) await this.ipt.flushChain('nat', c)
    for (const c of PORTAL_CHAINS) await this.ipt.deleteChain('nat', c)
    this.initialised = false
  }
}
