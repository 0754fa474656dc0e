// Upstream's test normalisation of a restore payload, so kplab output can be compared with upstream's
// expected text (whose service order came from Go map iteration and was sorted by the tests).
import type { Ruleset, RuleLine, Table } from './ruleset.js'

/** Chain sort key: KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-* alphabetically, then the rest. */
// upstream: pkg/proxy/iptables/proxier_test.go (sortIPTablesRules)
export function compareChains(a: string, b: string): number {
  const rank = (c: string): number => (c === 'KUBE-NODEPORTS' ? 0 : c === 'KUBE-SERVICES' ? 1 : c.startsWith('KUBE-') ? 2 : 3)
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  return a < b ? -1 : a > b ? 1 : 0
}

const LAST_RULE_COMMENT = 'kubernetes service nodeports; NOTE: this must be the last rule in this chain'

/** The service name a rule's comment starts with (text before the first space or colon). */
function commentServiceName(r: RuleLine): string {
  const i = r.args.indexOf('--comment')
  if (i < 0 || i + 1 >= r.args.length) return ''
  const c = r.args[i + 1]!.replace(/^"/, '')
  const cut = c.search(/[ :]/)
  return cut < 0 ? c.replace(/"$/, '') : c.slice(0, cut)
}

function isLastRule(r: RuleLine): boolean {
  return r.args.join(' ').includes(LAST_RULE_COMMENT)
}

function stableSortBy<T>(xs: T[], key: (x: T) => string): T[] {
  return xs
    .map((x, i) => ({ x, i, k: key(x) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
    .map((e) => e.x)
}

function normaliseTable(t: Table): Table {
  const chains = [...t.chains].sort((a, b) => compareChains(a.name, b.name))
  const byChain = new Map<string, RuleLine[]>()
  const deletes: RuleLine[] = []
  for (const r of t.rules) {
    if (r.op === '-X') {
      deletes.push(r)
      continue
    }
    let list = byChain.get(r.chain)
    if (list === undefined) byChain.set(r.chain, (list = []))
    list.push(r)
  }
  const order = [...new Set([...chains.map((c) => c.name), ...byChain.keys()])].sort(compareChains)
  const rules: RuleLine[] = []
  for (const chain of order) {
    let list = byChain.get(chain) ?? []
    if (chain === 'KUBE-NODEPORTS' || (chain === 'KUBE-SERVICES' && t.name === 'filter')) {
      list = stableSortBy(list, commentServiceName)
    } else if (chain === 'KUBE-SERVICES' && t.name === 'nat') {
      const last = list.filter(isLastRule)
      list = [...stableSortBy(list.filter((r) => !isLastRule(r)), commentServiceName), ...last]
    }
    rules.push(...list)
  }
  rules.push(...deletes.sort((a, b) => compareChains(a.chain, b.chain)))
  return { name: t.name, chains, rules }
}

/** Returns the ruleset in upstream's normalised order (tables by name, chains and rules sorted). */
// upstream: pkg/util/iptables/testing/parse.go and proxier_test.go (assertIPTablesRulesEqual)
export function normaliseRuleset(rs: Ruleset): Ruleset {
  const tables = [...rs.tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(normaliseTable)
  return { tables }
}
