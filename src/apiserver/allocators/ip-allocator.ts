import { AllocationError } from './errors.js'
import { Bitmap } from './bitmap.js'

/** Options of a ClusterIPAllocator. */
export interface ClusterIPAllocatorOptions {
  /**
   * Keep the first usable address (10.96.0.1) out of `allocate()`, because it belongs to the
   * `kubernetes` Service, which asks for it with `allocateSpecific`. Default true.
   */
  reserveFirst?: boolean
}

/** What `rebuild` could not mark: values outside the range and values listed twice. */
export interface RebuildReport<T> {
  outOfRange: T[]
  duplicate: T[]
}

/** Parses dotted-quad IPv4 to an unsigned 32-bit number; undefined when it is not one. */
export function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.')
  if (parts.length !== 4) return undefined
  let n = 0
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined
    const v = Number(p)
    if (v > 255) return undefined
    n = n * 256 + v
  }
  return n
}

/** Formats an unsigned 32-bit number as dotted-quad IPv4. */
export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/**
 * Hands out Service ClusterIPs from an IPv4 CIDR, one bit per address. Pure and synchronous, so two
 * concurrent creates can never receive the same address.
 * upstream: pkg/registry/core/service/ipallocator/bitmap.go (network and broadcast excluded)
 */
export class ClusterIPAllocator {
  /** The range as given, for messages (`10.96.0.0/12`). */
  readonly cidr: string
  private readonly base: number
  private readonly size: number
  private readonly bits: Bitmap
  private readonly reserveFirst: boolean
  // Where the next dynamic scan starts; advancing it spreads allocations and avoids handing a
  // just-released address straight back (which would confuse stale proxy rules).
  private next = 1

  constructor(cidr: string, opts: ClusterIPAllocatorOptions = {}) {
    const m = /^([^/]+)\/(\d{1,2})$/.exec(cidr.trim())
    const addr = m ? parseIPv4(m[1]!) : undefined
    const prefix = m ? Number(m[2]) : NaN
    if (addr === undefined || !(prefix >= 1 && prefix <= 30)) {
      throw new Error(`invalid service CIDR "${cidr}": want an IPv4 CIDR with a prefix from /1 to /30, e.g. 10.96.0.0/12`)
    }
    this.cidr = cidr.trim()
    this.size = 2 ** (32 - prefix)
    this.base = addr - (addr % this.size)
    this.bits = new Bitmap(this.size)
    this.reserveFirst = opts.reserveFirst ?? true
    this.next = this.reserveFirst ? 2 : 1
  }

  /** The next free address, scanning from a rotating offset; throws AllocationError('Full'). */
  allocate(): string {
    const lo = this.reserveFirst ? 2 : 1
    const off = this.bits.findClear(this.next, lo, this.size - 1)
    if (off < 0) throw new AllocationError('Full', `range is full: no free IP left in ${this.cidr}`)
    this.bits.set(off)
    this.next = off + 1 >= this.size - 1 ? lo : off + 1
    return formatIPv4(this.base + off)
  }

  /** Takes exactly `ip`; throws AllocationError('OutOfRange' | 'Allocated'). */
  allocateSpecific(ip: string): void {
    const off = this.offsetOf(ip)
    if (off === undefined) {
      throw new AllocationError('OutOfRange', `provided IP is not in the valid range. The range of valid IPs is ${this.cidr}`)
    }
    if (!this.bits.set(off)) throw new AllocationError('Allocated', 'provided IP is already allocated')
  }

  /** Returns `ip` to the pool; a no-op for addresses not allocated or out of range. */
  release(ip: string): void {
    const off = this.offsetOf(ip)
    if (off !== undefined) this.bits.clear(off)
  }

  /** True when `ip` is allocated. */
  has(ip: string): boolean {
    const off = this.offsetOf(ip)
    return off !== undefined && this.bits.has(off)
  }

  /** How many usable addresses are not allocated (the reserved first address included). */
  free(): number {
    return this.size - 2 - this.bits.count()
  }

  /** Forgets every allocation and marks `ips` (the ClusterIPs of stored Services) as taken. */
  rebuild(ips: string[]): RebuildReport<string> {
    this.bits.reset()
    const report: RebuildReport<string> = { outOfRange: [], duplicate: [] }
    for (const ip of ips) {
      const off = this.offsetOf(ip)
      if (off === undefined) report.outOfRange.push(ip)
      else if (!this.bits.set(off)) report.duplicate.push(ip)
    }
    return report
  }

  /** Offset of a usable address inside the range; undefined for network, broadcast or outside. */
  private offsetOf(ip: string): number | undefined {
    const n = parseIPv4(ip)
    if (n === undefined) return undefined
    const off = n - this.base
    return off >= 1 && off < this.size - 1 ? off : undefined
  }
}
