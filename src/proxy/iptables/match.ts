// Evaluates one rule's matches against a packet, for the tracer. Returns the probability that the
// rule matches (0, 1, or a statistic's p) and notes on assumptions made.
import { cidrContains, parseCIDR, parseIP, type ParsedIP } from './ip.js'
import { unquote } from './parse.js'

/** The packet as the tracer sees it at one point of its path. */
export interface PacketState {
  src: string
  dst: string
  proto: string
  sport: number
  dport: number
  /** nfmark (KUBE-MARK-MASQ sets the masquerade bit). */
  mark: number
  /** Conntrack status: the connection was DNATed already. */
  dnat: boolean
  inInterface?: string
  outInterface?: string
}

/** What the tracer knows about the node. */
export interface MatchContext {
  /** Addresses `-m addrtype --*-type LOCAL` treats as local (127.0.0.0/8 always is). */
  localAddresses: ParsedIP[]
}

/** Result of matching one rule. */
export interface MatchResult {
  probability: number
  notes: string[]
  /** Index in args where the target (`-j`) starts, or args.length. */
  targetAt: number
}

/** True when the address is local to the node. */
export function isLocalAddress(ctx: MatchContext, ip: string): boolean {
  const p = parseIP(ip)
  if (p === undefined) return false
  if (p.family === 'IPv4' && p.value >> 24n === 127n) return true
  if (p.family === 'IPv6' && p.value === 1n) return true
  return ctx.localAddresses.some((a) => a.family === p.family && a.value === p.value)
}

function inCidr(spec: string, ip: string): boolean {
  const c = parseCIDR(spec)
  const p = parseIP(ip)
  return c !== undefined && p !== undefined && cidrContains(c, p)
}

function portMatches(spec: string, port: number): boolean {
  return spec.split(',').some((part) => {
    const [lo, hi] = part.split(':')
    const a = Number(lo === '' ? 0 : lo)
    const b = hi === undefined ? a : Number(hi === '' ? 65535 : hi)
    return port >= a && port <= b
  })
}

function ifaceMatches(spec: string, name: string | undefined): boolean {
  if (name === undefined) return false
  return spec.endsWith('+') ? name.startsWith(spec.slice(0, -1)) : name === spec
}

function parseNumber(s: string): number {
  return Number(s.startsWith('0x') ? parseInt(s, 16) : s)
}

/** Evaluates the matches of a rule (everything before `-j`). */
export function evaluateMatches(args: readonly string[], pkt: PacketState, ctx: MatchContext): MatchResult {
  const notes: string[] = []
  let probability = 1
  let negate = false
  let i = 0
  const fail = (): MatchResult => ({ probability: 0, notes, targetAt: targetIndex(args) })
  while (i < args.length) {
    const a = args[i]!
    if (a === '-j' || a === '--jump' || a === '-g' || a === '--goto') break
    if (a === '!') {
      negate = true
      i++
      continue
    }
    const v = args[i + 1] ?? ''
    let ok: boolean | undefined
    let consumed = 2
    switch (a) {
      case '-m':
      case '--match':
      case '--comment':
      case '--name':
      case '--seconds':
      case '--mode':
      case '--nfacct-name':
      case '--mask':
        ok = undefined
        break
      case '--reap':
      case '--rsource':
      case '--rdest':
        consumed = 1
        ok = undefined
        break
      case '-p':
      case '--protocol':
        ok = v === 'all' || v === pkt.proto
        break
      case '-s':
      case '--src':
      case '--source':
        ok = inCidr(v, pkt.src)
        break
      case '-d':
      case '--dst':
      case '--destination':
        ok = inCidr(v, pkt.dst)
        break
      case '--dport':
      case '--destination-port':
      case '--dports':
        ok = portMatches(v, pkt.dport)
        break
      case '--sport':
      case '--source-port':
      case '--sports':
        ok = portMatches(v, pkt.sport)
        break
      case '-i':
      case '--in-interface':
        ok = ifaceMatches(v, pkt.inInterface)
        break
      case '-o':
      case '--out-interface':
        ok = ifaceMatches(v, pkt.outInterface)
        break
      case '--src-type':
      case '--dst-type': {
        const ip = a === '--src-type' ? pkt.src : pkt.dst
        if (v === 'LOCAL') ok = isLocalAddress(ctx, ip)
        else {
          notes.push(`addrtype ${v} is not modelled; assumed not to match`)
          ok = false
        }
        break
      }
      case '--mark': {
        const [val, mask] = v.split('/')
        const m = mask === undefined ? 0xffffffff : parseNumber(mask)
        ok = (pkt.mark & m) >>> 0 === parseNumber(val!) >>> 0
        break
      }
      case '--ctstate': {
        // The traced packet opens a new connection; after DNAT its conntrack entry carries DNAT.
        const states = new Set(['NEW', ...(pkt.dnat ? ['DNAT'] : [])])
        ok = v.split(',').some((s) => states.has(s))
        break
      }
      case '--probability': {
        const p = Number(v)
        if (negate) {
          probability *= 1 - p
          negate = false
        } else probability *= p
        ok = undefined
        break
      }
      case '--rcheck':
      case '--update':
        consumed = 1
        notes.push(`recent ${a} assumed to miss (first packet of this client)`)
        ok = false
        break
      case '--set':
        consumed = 1
        ok = undefined
        break
      default:
        notes.push(`match option ${a} is not modelled; assumed not to match`)
        ok = false
    }
    if (ok !== undefined) {
      if (negate) ok = !ok
      if (!ok) return fail()
    }
    negate = false
    i += consumed
  }
  return { probability, notes, targetAt: i }
}

function targetIndex(args: readonly string[]): number {
  const j = args.findIndex((a) => a === '-j' || a === '--jump' || a === '-g' || a === '--goto')
  return j < 0 ? args.length : j
}

/** The target and its options from `targetAt` on (`-j DNAT --to-destination x` → DNAT, {…}). */
export function parseTarget(args: readonly string[], targetAt: number): { target?: string; goto: boolean; options: Map<string, string> } {
  const options = new Map<string, string>()
  if (targetAt >= args.length) return { goto: false, options }
  const goto = args[targetAt] === '-g' || args[targetAt] === '--goto'
  const target = args[targetAt + 1]
  for (let i = targetAt + 2; i < args.length; i++) {
    const a = args[i]!
    if (!a.startsWith('--')) continue
    const next = args[i + 1]
    if (next !== undefined && !next.startsWith('--')) {
      options.set(a, unquote(next))
      i++
    } else options.set(a, '')
  }
  return { ...(target !== undefined ? { target } : {}), goto, options }
}
