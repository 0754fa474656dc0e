/** A fixed-size set of small integers backed by one bit each (a /12 costs 128 KiB). */
export class Bitmap {
  private readonly bits: Uint8Array
  private used = 0

  constructor(readonly size: number) {
    this.bits = new Uint8Array(Math.ceil(size / 8))
  }

  /** True when offset i is set. */
  has(i: number): boolean {
    return (this.bits[i >> 3]! & (1 << (i & 7))) !== 0
  }

  /** Sets offset i; false when it was already set. */
  set(i: number): boolean {
    if (this.has(i)) return false
    this.bits[i >> 3]! |= 1 << (i & 7)
    this.used++
    return true
  }

  /** Clears offset i; false when it was not set. */
  clear(i: number): boolean {
    if (!this.has(i)) return false
    this.bits[i >> 3]! &= ~(1 << (i & 7))
    this.used--
    return true
  }

  /** Clears every offset. */
  reset(): void {
    this.bits.fill(0)
    this.used = 0
  }

  /** How many offsets are set. */
  count(): number {
    return this.used
  }

  /**
   * The first clear offset in [lo, hi) at or after `start`, wrapping around to lo; -1 when all are set.
   * Skips whole bytes that are full so a nearly-full /12 is still scanned quickly.
   */
  findClear(start: number, lo: number, hi: number): number {
    const span = hi - lo
    if (span <= 0) return -1
    let i = start < lo || start >= hi ? lo : start
    for (let seen = 0; seen < span; ) {
      if ((i & 7) === 0 && i + 8 <= hi && this.bits[i >> 3] === 0xff) {
        i += 8
        seen += 8
      } else {
        if (!this.has(i)) return i
        i++
        seen++
      }
      if (i >= hi) i = lo
    }
    return -1
  }
}
