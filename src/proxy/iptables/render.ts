// Ruleset → iptables-restore / iptables-save text.
import type { ChainDecl, RuleLine, Ruleset, Table } from './ruleset.js'

/** One chain declaration line without newline (`:KUBE-SERVICES - [0:0]`). */
// upstream: pkg/util/iptables/save_restore.go (MakeChainLine)
export function renderChainLine(c: ChainDecl): string {
  return `:${c.name} ${c.policy} ${c.counters}`
}

/** One rule line without newline (`-A CHAIN args…`, `-X CHAIN`, optional `[p:b]` prefix). */
export function renderRuleLine(r: RuleLine): string {
  const head = r.counters === undefined ? '' : `${r.counters} `
  return r.args.length === 0 ? `${head}${r.op} ${r.chain}` : `${head}${r.op} ${r.chain} ${r.args.join(' ')}`
}

/** One `*table … COMMIT` section, each line ending in a newline. */
export function renderTable(t: Table): string {
  const parts: string[] = []
  for (const c of t.comments ?? []) parts.push(c)
  parts.push(`*${t.name}`)
  for (const c of t.chains) parts.push(renderChainLine(c))
  for (const r of t.rules) parts.push(renderRuleLine(r))
  parts.push('COMMIT')
  return `${parts.join('\n')}\n`
}

/** The whole payload: every table in order, then any trailing comment lines. */
export function renderRuleset(rs: Ruleset): string {
  let s = ''
  for (const t of rs.tables) s += renderTable(t)
  for (const c of rs.trailer ?? []) s += `${c}\n`
  return s
}
