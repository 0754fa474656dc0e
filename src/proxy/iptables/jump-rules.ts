// The rules kube-proxy ensures in built-in chains (not part of the restore payload): the applier
// runs `-C` then `-I` for each on full syncs; the tracer adds them to generated rulesets.
import type { RuleLine, Ruleset, Table } from './ruleset.js'

/** One jump from a built-in chain into a kube-proxy chain. */
export interface JumpRule {
  table: 'filter' | 'nat'
  srcChain: string
  dstChain: string
  extraArgs: string[]
  comment: string
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW']

/** The jumps in the order upstream ensures them (each is inserted at position 1). */
// upstream: pkg/proxy/iptables/proxier.go (iptablesJumpChains, iptablesKubeletJumpChains)
export const IPTABLES_JUMP_CHAINS: readonly JumpRule[] = [
  { table: 'filter', srcChain: 'INPUT', dstChain: 'KUBE-EXTERNAL-SERVICES', extraArgs: NEW, comment: 'kubernetes externally-visible service portals' },
  { table: 'filter', srcChain: 'FORWARD', dstChain: 'KUBE-EXTERNAL-SERVICES', extraArgs: NEW, comment: 'kubernetes externally-visible service portals' },
  { table: 'filter', srcChain: 'INPUT', dstChain: 'KUBE-NODEPORTS', extraArgs: [], comment: 'kubernetes health check service ports' },
  { table: 'filter', srcChain: 'FORWARD', dstChain: 'KUBE-SERVICES', extraArgs: NEW, comment: 'kubernetes service portals' },
  { table: 'filter', srcChain: 'OUTPUT', dstChain: 'KUBE-SERVICES', extraArgs: NEW, comment: 'kubernetes service portals' },
  { table: 'filter', srcChain: 'FORWARD', dstChain: 'KUBE-FORWARD', extraArgs: [], comment: 'kubernetes forwarding rules' },
  { table: 'filter', srcChain: 'INPUT', dstChain: 'KUBE-PROXY-FIREWALL', extraArgs: NEW, comment: 'kubernetes load balancer firewall' },
  { table: 'filter', srcChain: 'OUTPUT', dstChain: 'KUBE-PROXY-FIREWALL', extraArgs: NEW, comment: 'kubernetes load balancer firewall' },
  { table: 'filter', srcChain: 'FORWARD', dstChain: 'KUBE-PROXY-FIREWALL', extraArgs: NEW, comment: 'kubernetes load balancer firewall' },
  { table: 'nat', srcChain: 'OUTPUT', dstChain: 'KUBE-SERVICES', extraArgs: [], comment: 'kubernetes service portals' },
  { table: 'nat', srcChain: 'PREROUTING', dstChain: 'KUBE-SERVICES', extraArgs: [], comment: 'kubernetes service portals' },
  { table: 'nat', srcChain: 'POSTROUTING', dstChain: 'KUBE-POSTROUTING', extraArgs: [], comment: 'kubernetes postrouting rules' },
  { table: 'filter', srcChain: 'INPUT', dstChain: 'KUBE-FIREWALL', extraArgs: [], comment: '' },
  { table: 'filter', srcChain: 'OUTPUT', dstChain: 'KUBE-FIREWALL', extraArgs: [], comment: '' },
]

/** A jump's argv after the chain for `iptables -C/-I`: extra args, the comment (if any), then `-j`. */
export function jumpRuleArgs(j: JumpRule): string[] {
  const comment = j.comment === '' ? [] : ['-m', 'comment', '--comment', j.comment]
  return [...j.extraArgs, ...comment, '-j', j.dstChain]
}

/** The same arguments as restore/save text writes them (multi-word comment quoted). */
export function jumpRuleTextArgs(j: JumpRule): string[] {
  const comment = j.comment === '' ? [] : ['-m', 'comment', '--comment', `"${j.comment}"`]
  return [...j.extraArgs, ...comment, '-j', j.dstChain]
}

const BUILTIN: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
}

/**
 * Adds the built-in chains with kube-proxy's jumps to a generated ruleset, in the order a fresh
 * node ends up with (reverse of insertion, since each is prepended). Tables that already have
 * rules in a built-in chain (an iptables-save dump) are left as they are.
 */
export function withKubeJumpRules(rs: Ruleset, localhostNodePorts = true): Ruleset {
  const tables: Table[] = rs.tables.map((t) => {
    const builtins = BUILTIN[t.name]
    if (builtins === undefined || t.rules.some((r) => builtins.includes(r.chain))) return t
    const declared = new Set(t.chains.map((c) => c.name))
    const jumps: RuleLine[] = []
    for (const j of [...IPTABLES_JUMP_CHAINS].reverse()) {
      if (j.table !== t.name || !declared.has(j.dstChain)) continue
      if (j.dstChain === 'KUBE-FIREWALL' && !localhostNodePorts) continue
      jumps.push({ op: '-A', chain: j.srcChain, args: jumpRuleTextArgs(j) })
    }
    const chains = [...builtins.map((name) => ({ name, policy: 'ACCEPT', counters: '[0:0]' })), ...t.chains.filter((c) => !builtins.includes(c.name))]
    return { ...t, chains, rules: [...jumps, ...t.rules] }
  })
  return { ...rs, tables }
}
