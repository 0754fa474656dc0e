import type { EndpointState } from './endpoint-set.js'

/**
 * A binary min-heap of endpoints that knows each endpoint's position (`heapPos`), so a changed key
 * is re-sorted in O(log n) without a search. `less` must be a strict total order.
 */
export class EndpointHeap {
  private items: EndpointState[] = []

  constructor(private readonly less: (a: EndpointState, b: EndpointState) => boolean) {}

  /** Replaces the contents with `states` (O(n)). */
  reset(states: readonly EndpointState[]): void {
    for (const s of this.items) s.heapPos = -1
    this.items = states.slice()
    this.items.forEach((s, i) => (s.heapPos = i))
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i)
  }

  /** The least endpoint, or undefined when empty. */
  top(): EndpointState | undefined {
    return this.items[0]
  }

  get size(): number {
    return this.items.length
  }

  /** Restores order after `s`'s key changed; ignores endpoints not in this heap. */
  fix(s: EndpointState): void {
    const i = s.heapPos
    if (i < 0 || this.items[i] !== s) return
    if (i > 0 && this.less(s, this.items[(i - 1) >> 1]!)) this.up(i)
    else this.down(i)
  }

  private up(i: number): void {
    const items = this.items
    const s = items[i]!
    while (i > 0) {
      const p = (i - 1) >> 1
      const parent = items[p]!
      if (!this.less(s, parent)) break
      items[i] = parent
      parent.heapPos = i
      i = p
    }
    items[i] = s
    s.heapPos = i
  }

  private down(i: number): void {
    const items = this.items
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
      child.heapPos = i
      i = c
    }
    items[i] = s
    s.heapPos = i
  }
}
