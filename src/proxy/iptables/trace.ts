// Walks one packet through a ruleset's nat and filter chains (PREROUTING or OUTPUT, then INPUT,
// FORWARD or OUTPUT, then POSTROUTING), branching on `-m statistic`, and reports every rule that
// matched, the DNAT destinations with their probabilities, and masquerade / reject verdicts.
import { parseIP } from './ip.js'
import { evaluateMatches, isLocalAddress, parseTarget, type MatchContext, type PacketState } from './match.js'
import { findTable, indexRules, type RuleLine, type Ruleset } from './ruleset.js'

/** The packet to trace. */
export interface TracePacket {
  src: string
  dst: string
  dport: number
  proto?: 'tcp' | 'udp' | 'sctp'
  sport?: number
  inInterface?: string
}

/** Where the packet comes from and what the node looks like. */
export interface TraceOptions {
  /** `network`: arrives on an interface (PREROUTING); `local`: sent by a process on the node (OUTPUT). Default: local if src is a local address. */
  origin?: 'network' | 'local'
  /** The node's own addresses (addrtype LOCAL). */
  localAddresses?: string[]
}

/** One matched rule on a path. */
export interface TraceStep {
  table: string
  chain: string
  /** 1-based position in its chain, as `iptables -L --line-numbers` shows. */
  position: number
  rule: RuleLine
  notes: string[]
}

/** One possible fate of the packet. */
export interface TraceOutcome {
  probability: number
  steps: TraceStep[]
  /** `ip:port` after DNAT, if the packet was DNATed. */
  dnat?: string
  masquerade: boolean
  verdict: 'ACCEPT' | 'DROP' | 'REJECT'
  /** Where the verdict was reached (`filter KUBE-SERVICES` …) or the policy that applied. */
  decidedBy: string
  notes: string[]
}

interface Branch {
  pkt: PacketState
  p: number
  steps: TraceStep[]
  masq: boolean
  notes: string[]
}

type Fate = 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN' | 'FALLTHROUGH'

interface Ended {
  b: Branch
  fate: Fate
  where: string
}

const MAX_DEPTH = 64

class Walker {
  private readonly index = new Map<string, Map<string, RuleLine[]>>()
  constructor(
    private readonly rs: Ruleset,
    private readonly ctx: MatchContext,
  ) {
    for (const t of rs.tables) this.index.set(t.name, indexRules(t))
  }

  policy(table: string, chain: string): 'ACCEPT' | 'DROP' {
    const decl = findTable(this.rs, table)?.chains.find((c) => c.name === chain)
    return decl?.policy === 'DROP' ? 'DROP' : 'ACCEPT'
  }

  run(table: string, chain: string, start: Branch, depth: number): Ended[] {
    if (depth > MAX_DEPTH) return [{ b: { ...start, notes: [...start.notes, `jump depth over ${MAX_DEPTH} at ${chain}; stopped`] }, fate: 'DROP', where: `${table} ${chain}` }]
    const rules = this.index.get(table)?.get(chain) ?? []
    let active: Branch[] = [start]
    const ended: Ended[] = []
    rules.forEach((rule, i) => {
      const next: Branch[] = []
      for (const b of active) {
        const m = evaluateMatches(rule.args, b.pkt, this.ctx)
        if (m.probability <= 0) {
          // Keep assumptions (e.g. an affinity --rcheck taken to miss) visible on the path.
          next.push(m.notes.length > 0 ? { ...b, notes: [...b.notes, ...m.notes.map((n) => `${table} ${chain} #${i + 1}: ${n}`)] } : b)
          continue
        }
        if (m.probability < 1) next.push({ ...b, p: b.p * (1 - m.probability) })
        const hit: Branch = { ...b, p: b.p * m.probability, steps: [...b.steps, { table, chain, position: i + 1, rule, notes: m.notes }] }
        for (const r of this.applyTarget(table, chain, rule, m.targetAt, hit, depth)) {
          if (r.fate === 'FALLTHROUGH') next.push(r.b)
          else ended.push(r)
        }
      }
      active = next
    })
    for (const b of active) ended.push({ b, fate: 'FALLTHROUGH', where: `${table} ${chain}` })
    return ended
  }

  private applyTarget(table: string, chain: string, rule: RuleLine, targetAt: number, b: Branch, depth: number): Ended[] {
    const { target, goto, options } = parseTarget(rule.args, targetAt)
    const where = `${table} ${chain}`
    switch (target) {
      case undefined:
        return [{ b, fate: 'FALLTHROUGH', where }]
      case 'ACCEPT':
      case 'DROP':
      case 'REJECT':
      case 'RETURN':
        return [{ b, fate: target, where }]
      case 'DNAT': {
        const { ip, port } = splitDestination(options.get('--to-destination') ?? '', b.pkt.dport)
        return [{ b: { ...b, pkt: { ...b.pkt, dst: ip, dport: port, dnat: true } }, fate: 'ACCEPT', where }]
      }
      case 'MASQUERADE':
      case 'SNAT':
        return [{ b: { ...b, masq: true }, fate: 'ACCEPT', where }]
      case 'MARK': {
        let mark = b.pkt.mark
        const num = (s: string): number => (s.startsWith('0x') ? parseInt(s, 16) : Number(s))
        if (options.has('--or-mark')) mark = (mark | num(options.get('--or-mark')!)) >>> 0
        if (options.has('--xor-mark')) mark = (mark ^ num(options.get('--xor-mark')!)) >>> 0
        if (options.has('--and-mark')) mark = (mark & num(options.get('--and-mark')!)) >>> 0
        if (options.has('--set-mark')) mark = num(options.get('--set-mark')!.split('/')[0]!) >>> 0
        if (options.has('--set-xmark')) {
          const [v, m] = options.get('--set-xmark')!.split('/')
          const mask = m === undefined ? 0xffffffff : num(m)
          mark = ((mark & ~mask) ^ num(v!)) >>> 0
        }
        return [{ b: { ...b, pkt: { ...b.pkt, mark } }, fate: 'FALLTHROUGH', where }]
      }
      default: {
        if (!this.index.get(table)?.has(target) && !findTable(this.rs, table)?.chains.some((c) => c.name === target)) {
          return [{ b: { ...b, notes: [...b.notes, `target ${target} is not modelled; treated as a no-op`] }, fate: 'FALLTHROUGH', where }]
        }
        const out: Ended[] = []
        for (const r of this.run(table, target, b, depth + 1)) {
          // RETURN or falling off the end of a user chain resumes after the jump (-g returns to our caller).
          if (r.fate === 'RETURN' || r.fate === 'FALLTHROUGH') out.push({ b: r.b, fate: goto ? 'RETURN' : 'FALLTHROUGH', where: r.where })
          else out.push(r)
        }
        return out
      }
    }
  }

  /** Runs a built-in chain: the policy applies when no rule decided. */
  hook(table: string, chain: string, b: Branch): Ended[] {
    return this.run(table, chain, b, 0).map((r) =>
      r.fate === 'RETURN' || r.fate === 'FALLTHROUGH' ? { b: r.b, fate: this.policy(table, chain), where: `${table} ${chain} policy` } : r,
    )
  }
}

/** Traces a packet through the ruleset; outcomes are sorted by decreasing probability. */
export function tracePacket(rs: Ruleset, packet: TracePacket, options: TraceOptions = {}): TraceOutcome[] {
  const localAddresses = (options.localAddresses ?? []).map((a) => parseIP(a)).filter((a) => a !== undefined)
  const ctx: MatchContext = { localAddresses }
  const w = new Walker(rs, ctx)
  const origin = options.origin ?? (isLocalAddress(ctx, packet.src) ? 'local' : 'network')
  const pkt: PacketState = {
    src: packet.src,
    dst: packet.dst,
    proto: packet.proto ?? 'tcp',
    sport: packet.sport ?? 40000,
    dport: packet.dport,
    mark: 0,
    dnat: false,
    ...(packet.inInterface !== undefined ? { inInterface: packet.inInterface } : {}),
  }
  const start: Branch = { pkt, p: 1, steps: [], masq: false, notes: [] }
  const outcomes: TraceOutcome[] = []
  const finish = (e: Ended): void => {
    outcomes.push({
      probability: e.b.p,
      steps: e.b.steps,
      ...(e.b.pkt.dnat ? { dnat: joinDest(e.b.pkt.dst, e.b.pkt.dport) } : {}),
      masquerade: e.b.masq,
      verdict: e.fate === 'DROP' || e.fate === 'REJECT' ? e.fate : 'ACCEPT',
      decidedBy: e.where,
      notes: [...new Set([...e.b.notes, ...e.b.steps.flatMap((s) => s.notes)])],
    })
  }
  const natFirst = origin === 'network' ? 'PREROUTING' : 'OUTPUT'
  for (const n of w.hook('nat', natFirst, start)) {
    if (n.fate !== 'ACCEPT') {
      finish(n)
      continue
    }
    // Routing decision on the (possibly DNATed) destination.
    const toLocal = isLocalAddress(ctx, n.b.pkt.dst)
    const filterChain = origin === 'local' ? 'OUTPUT' : toLocal ? 'INPUT' : 'FORWARD'
    for (const f of w.hook('filter', filterChain, n.b)) {
      if (f.fate !== 'ACCEPT' || filterChain === 'INPUT') {
        finish(f)
        continue
      }
      for (const post of w.hook('nat', 'POSTROUTING', f.b)) finish(post.fate === 'ACCEPT' ? { ...post, where: f.where } : post)
    }
  }
  return outcomes.sort((a, b) => b.probability - a.probability || (a.dnat ?? '').localeCompare(b.dnat ?? ''))
}

/** Splits a DNAT `--to-destination` (`ip`, `ip:port`, `[v6]:port`; a port range keeps its first port). */
export function splitDestination(to: string, defaultPort: number): { ip: string; port: number } {
  const port = (text: string | undefined): number => (text === undefined || text === '' ? defaultPort : Number(text.split('-')[0]))
  if (to.startsWith('[')) {
    const close = to.indexOf(']')
    return { ip: to.slice(1, close), port: port(to.slice(close + 2) || undefined) }
  }
  const parts = to.split(':')
  // More than one colon without brackets: a bare IPv6 address.
  if (parts.length > 2) return { ip: to, port: defaultPort }
  return { ip: parts[0]!, port: port(parts[1]) }
}

function joinDest(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`
}

/** A probability as a small fraction when it is one (1/3), else with four decimals. */
export function describeProbability(p: number): string {
  for (let d = 1; d <= 1000; d++) {
    const k = Math.round(p * d)
    if (k > 0 && Math.abs(p - k / d) < 1e-8) return k === d ? '1' : `${k}/${d}`
  }
  return p.toFixed(4)
}
