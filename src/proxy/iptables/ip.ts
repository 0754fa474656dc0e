// IP address and CIDR helpers with Go's net semantics where kube-proxy depends on them
// (canonical forms feed chain-name hashes, so "010.0.0.1" must hash like "10.0.0.1").

/** An IP family as Kubernetes names it. */
export type IPFamily = 'IPv4' | 'IPv6'

/** A parsed address: family and its bytes (4 or 16) as a bigint for cheap masking. */
export interface ParsedIP {
  family: IPFamily
  value: bigint
}

/** A parsed network: address already masked to its prefix. */
export interface ParsedCIDR {
  family: IPFamily
  network: bigint
  prefix: number
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  let v = 0n
  for (const p of parts) {
    // upstream: k8s.io/utils/net ParseIPSloppy accepts leading zeros as decimal.
    if (!/^\d{1,3}$/.test(p)) return undefined
    const n = Number(p)
    if (n > 255) return undefined
    v = (v << 8n) | BigInt(n)
  }
  return v
}

function parseIPv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined
  let tail: bigint | undefined
  let text = s
  const lastColon = s.lastIndexOf(':')
  if (s.includes('.')) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) fills the last two groups.
    tail = parseIPv4(s.slice(lastColon + 1))
    if (tail === undefined) return undefined
    text = `${s.slice(0, lastColon + 1)}0:0`
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] === '' ? [] : halves[0]!.split(':')
  const rest = halves.length === 2 ? (halves[1] === '' ? [] : halves[1]!.split(':')) : []
  const missing = 8 - head.length - rest.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest]
  let v = 0n
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
    v = (v << 16n) | BigInt(parseInt(g, 16))
  }
  if (tail !== undefined) v = (v & ~0xffffffffn) | tail
  return v
}

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIP(s: string): ParsedIP | undefined {
  const t = s.trim()
  if (t.includes(':')) {
    const v = parseIPv6(t)
    return v === undefined ? undefined : { family: 'IPv6', value: v }
  }
  const v = parseIPv4(t)
  return v === undefined ? undefined : { family: 'IPv4', value: v }
}

/** Formats a parsed address in Go's `net.IP.String()` form (RFC 5952 for IPv6). */
export function formatIP(ip: ParsedIP): string {
  if (ip.family === 'IPv4') {
    const v = ip.value
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.')
  }
  const groups: number[] = []
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn))
  // Longest run of zero groups (length ≥ 2, first wins) becomes "::".
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

/** True when s is already a canonical dotted quad (fast path: no parsing allocations). */
function isCanonicalIPv4(s: string): boolean {
  let dots = 0
  let start = 0
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46
    if (c === 46) {
      const len = i - start
      if (len === 0 || len > 3 || (len > 1 && s.charCodeAt(start) === 48)) return false
      if (len === 3 && Number(s.slice(start, i)) > 255) return false
      if (i < s.length) dots++
      start = i + 1
    } else if (c < 48 || c > 57) {
      return false
    }
  }
  return dots === 3
}

/** Canonical text of an address ("010.0.0.1" → "10.0.0.1"), or undefined if invalid. */
export function canonicalIP(s: string): string | undefined {
  if (isCanonicalIPv4(s)) return s
  const p = parseIP(s)
  return p === undefined ? undefined : formatIP(p)
}

/** The family of an address string, or undefined if it is not an address. */
export function ipFamilyOf(s: string): IPFamily | undefined {
  return parseIP(s)?.family
}

function bits(f: IPFamily): number {
  return f === 'IPv4' ? 32 : 128
}

function maskOf(f: IPFamily, prefix: number): bigint {
  const total = bits(f)
  return ((1n << BigInt(total)) - 1n) ^ ((1n << BigInt(total - prefix)) - 1n)
}

/** Parses "a.b.c.d/n" (or a bare address as a host route), masking host bits like Go's ParseCIDR. */
export function parseCIDR(s: string): ParsedCIDR | undefined {
  const t = s.trim()
  const slash = t.indexOf('/')
  const ip = parseIP(slash < 0 ? t : t.slice(0, slash))
  if (ip === undefined) return undefined
  const total = bits(ip.family)
  const prefixText = slash < 0 ? String(total) : t.slice(slash + 1)
  if (!/^\d{1,3}$/.test(prefixText)) return undefined
  const prefix = Number(prefixText)
  if (prefix > total) return undefined
  return { family: ip.family, network: ip.value & maskOf(ip.family, prefix), prefix }
}

/** Formats a network as Go's `IPNet.String()` ("203.0.113.0/25"). */
export function formatCIDR(c: ParsedCIDR): string {
  return `${formatIP({ family: c.family, value: c.network })}/${c.prefix}`
}

/** True when the network contains the address (families must match). */
export function cidrContains(c: ParsedCIDR, ip: ParsedIP): boolean {
  return c.family === ip.family && (ip.value & maskOf(c.family, c.prefix)) === c.network
}

/** Go's net.JoinHostPort: brackets around IPv6 hosts. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** True for 127.0.0.0/8 and ::1. */
export function isLoopback(ip: ParsedIP): boolean {
  return ip.family === 'IPv4' ? ip.value >> 24n === 127n : ip.value === 1n
}
