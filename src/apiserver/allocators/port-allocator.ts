import { AllocationError } from './errors.js'
import { Bitmap } from './bitmap.js'
import type { RebuildReport } from './ip-allocator.js'

/**
 * Parses a port range as upstream's utilnet.ParsePortRange does: `30000-32767`, `30000+2767` or
 * a single port; throws with the accepted forms when it is none of them.
 */
export function parsePortRange(range: string): { base: number; size: number } {
  const s = range.trim()
  let m = /^(\d+)-(\d+)$/.exec(s)
  let lo: number
  let hi: number
  if (m) {
    lo = Number(m[1])
    hi = Number(m[2])
  } else if ((m = /^(\d+)\+(\d+)$/.exec(s))) {
    lo = Number(m[1])
    hi = lo + Number(m[2])
  } else if (/^\d+$/.test(s)) {
    lo = hi = Number(s)
  } else {
    throw new Error(`invalid port range "${range}": want "min-max" (e.g. 30000-32767), "min+offset" or a single port`)
  }
  if (lo < 1 || hi > 65535 || hi < lo) {
    throw new Error(`invalid port range "${range}": ports must satisfy 1 <= min <= max <= 65535`)
  }
  return { base: lo, size: hi - lo + 1 }
}

/**
 * Hands out Service NodePorts from a range, one bit per port. Pure and synchronous, like
 * ClusterIPAllocator.
 * upstream: pkg/registry/core/service/portallocator/allocator.go
 */
export class NodePortAllocator {
  /** The range as given, for messages (`30000-32767`). */
  readonly range: string
  private readonly base: number
  private readonly size: number
  private readonly bits: Bitmap
  private next = 0

  constructor(range: string) {
    const { base, size } = parsePortRange(range)
    this.range = range.trim()
    this.base = base
    this.size = size
    this.bits = new Bitmap(size)
  }

  /** The next free port, scanning from a rotating offset; throws AllocationError('Full'). */
  allocate(): number {
    const off = this.bits.findClear(this.next, 0, this.size)
    if (off < 0) throw new AllocationError('Full', `range is full: no free port left in ${this.range}`)
    this.bits.set(off)
    this.next = (off + 1) % this.size
    return this.base + off
  }

  /** Takes exactly `port`; throws AllocationError('OutOfRange' | 'Allocated'). */
  allocateSpecific(port: number): void {
    const off = this.offsetOf(port)
    if (off === undefined) {
      throw new AllocationError('OutOfRange', `provided port is not in the valid range. The range of valid ports is ${this.range}`)
    }
    if (!this.bits.set(off)) throw new AllocationError('Allocated', 'provided port is already allocated')
  }

  /** Returns `port` to the pool; a no-op for ports not allocated or out of range. */
  release(port: number): void {
    const off = this.offsetOf(port)
    if (off !== undefined) this.bits.clear(off)
  }

  /** True when `port` is allocated. */
  has(port: number): boolean {
    const off = this.offsetOf(port)
    return off !== undefined && this.bits.has(off)
  }

  /** How many ports in the range are not allocated. */
  free(): number {
    return this.size - this.bits.count()
  }

  /** Forgets every allocation and marks `ports` (the NodePorts of stored Services) as taken. */
  rebuild(ports: number[]): RebuildReport<number> {
    this.bits.reset()
    const report: RebuildReport<number> = { outOfRange: [], duplicate: [] }
    for (const p of ports) {
      const off = this.offsetOf(p)
      if (off === undefined) report.outOfRange.push(p)
      else if (!this.bits.set(off)) report.duplicate.push(p)
    }
    return report
  }

  private offsetOf(port: number): number | undefined {
    if (!Number.isInteger(port)) return undefined
    const off = port - this.base
    return off >= 0 && off < this.size ? off : undefined
  }
}
