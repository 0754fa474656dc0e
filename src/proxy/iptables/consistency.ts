// Upstream's checkConsistency for restore payloads: every -j target chain is declared and non-empty,
// every declared chain is used (or is a top-level chain). Run on every golden file.
import { jumpTarget, type Ruleset } from './ruleset.js'

/** Targets that are iptables built-ins or extensions, not chains. */
const BUILTIN_TARGETS = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE', 'MARK', 'LOG', 'REDIRECT', 'CONNMARK', 'NOTRACK', 'CT', 'TPROXY', 'QUEUE', 'NFQUEUE'])

/** Chains reached from built-in chains (jump rules the proxier ensures), so they need no reference. */
const TOP_LEVEL = new Set([
  'KUBE-SERVICES',
  'KUBE-EXTERNAL-SERVICES',
  'KUBE-FORWARD',
  'KUBE-NODEPORTS',
  'KUBE-PROXY-FIREWALL',
  'KUBE-FIREWALL',
  'KUBE-POSTROUTING',
  'KUBE-MARK-MASQ',
  'KUBE-PROXY-CANARY',
])

/** One problem found by checkConsistency. */
export interface ConsistencyProblem {
  table: string
  chain: string
  message: string
}

/**
 * Checks a full payload. Empty KUBE-NODEPORTS is allowed (upstream's exception), and chains being
 * deleted with -X need no reference.
 */
// upstream: pkg/proxy/iptables/proxier_test.go (checkIPTablesRuleJumps)
export function checkConsistency(rs: Ruleset): ConsistencyProblem[] {
  const problems: ConsistencyProblem[] = []
  for (const t of rs.tables) {
    const declared = new Set(t.chains.map((c) => c.name))
    const deleted = new Set(t.rules.filter((r) => r.op === '-X').map((r) => r.chain))
    const nonEmpty = new Set<string>()
    const jumpedTo = new Set<string>()
    for (const r of t.rules) {
      if (r.op !== '-A') continue
      nonEmpty.add(r.chain)
      if (!declared.has(r.chain)) problems.push({ table: t.name, chain: r.chain, message: `rules appended to undeclared chain ${r.chain}` })
      const target = jumpTarget(r.args)
      if (target === undefined || BUILTIN_TARGETS.has(target)) continue
      jumpedTo.add(target)
      if (!declared.has(target)) problems.push({ table: t.name, chain: r.chain, message: `${r.chain} jumps to undeclared chain ${target}` })
      else if (deleted.has(target)) problems.push({ table: t.name, chain: r.chain, message: `${r.chain} jumps to ${target}, which this payload deletes` })
    }
    for (const target of jumpedTo) {
      if (declared.has(target) && !nonEmpty.has(target) && target !== 'KUBE-NODEPORTS' && !deleted.has(target)) {
        problems.push({ table: t.name, chain: target, message: `jump target ${target} is empty` })
      }
    }
    for (const c of declared) {
      if (!jumpedTo.has(c) && !TOP_LEVEL.has(c) && !deleted.has(c)) problems.push({ table: t.name, chain: c, message: `chain ${c} is declared but never used` })
    }
  }
  return problems
}
