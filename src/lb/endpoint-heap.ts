/**
 * A binary min-heap of endpoint positions that records each one's place in a caller-owned
 * `heapPos` column, so a changed key is re-sorted in O(log n) without a search. `less` must be a
 * strict total order over positions.
 */
export class EndpointHeap {
  private items: Int32Array = new Int32Array(0)
  private heapPos: Int32Array = new Int32Array(0)

  constructor(private readonly less: (a: number, b: number) => boolean) {}

  /** Replaces the contents with `positions` (O(size)); `heapPos` is the column to record places in (every entry is overwritten). */
  reset(positions: ArrayLike<number>, heapPos: Int32Array): void {
    this.heapPos = heapPos
    heapPos.fill(-1)
    const items = (this.items = Int32Array.from(positions))
    for (let i = 0; i < items.length; i++) heapPos[items[i]!] = i
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i)
  }

  /** The least position, or -1 when empty. */
  top(): number {
    return this.items.length > 0 ? this.items[0]! : -1
  }

  get size(): number {
    return this.items.length
  }

  /** Restores order after the key of position `p` changed; ignores positions not in this heap. */
  fix(p: number): void {
    const i = p < this.heapPos.length ? this.heapPos[p]! : -1
    if (i < 0 || this.items[i] !== p) return
    if (i > 0 && this.less(p, this.items[(i - 1) >> 1]!)) this.up(i)
    else this.down(i)
  }

  private up(i: number): void {
    const items = this.items
    const pos = this.heapPos
    const s = items[i]!
    while (i > 0) {
      const p = (i - 1) >> 1
      const parent = items[p]!
      if (!this.less(s, parent)) break
      items[i] = parent
      pos[parent] = i
      i = p
    }
    items[i] = s
    pos[s] = i
  }

  private down(i: number): void {
    const items = this.items
    const pos = this.heapPos
    const n = items.length
    const s = items[i]!
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const c = r < n && this.less(items[r]!, items[l]!) ? r : l
      const child = items[c]!
      if (!this.less(child, s)) break
      items[i] = child
      pos[child] = i
      i = c
    }
    items[i] = s
    pos[s] = i
  }
}
