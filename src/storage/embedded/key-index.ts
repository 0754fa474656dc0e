import type { KubeObject } from '../../api/meta.js'

/** A page of a prefix scan. */
export interface ScanResult {
  keys: string[]
  items: KubeObject[]
  hasMore: boolean
}

/**
 * The live objects by key, with the keys also kept in one sorted array, so a list by prefix is a
 * binary search plus a walk over the matching keys (no sort per list). Inserting a new key costs
 * an array splice, a memmove that stays cheap at the lab's 10k–100k objects.
 */
export class KeyIndex {
  private readonly objects = new Map<string, KubeObject>()
  private readonly sorted: string[] = []

  /** Number of live objects. */
  get size(): number {
    return this.objects.size
  }

  /** The object at key, or undefined. */
  get(key: string): KubeObject | undefined {
    return this.objects.get(key)
  }

  /** Stores obj at key (insert or replace). */
  set(key: string, obj: KubeObject): void {
    if (!this.objects.has(key)) this.sorted.splice(this.lowerBound(key), 0, key)
    this.objects.set(key, obj)
  }

  /** Removes key; returns whether it was present. */
  delete(key: string): boolean {
    if (!this.objects.delete(key)) return false
    this.sorted.splice(this.lowerBound(key), 1)
    return true
  }

  /** Every (key, object) pair in key order. */
  *entries(): IterableIterator<[string, KubeObject]> {
    for (const k of this.sorted) yield [k, this.objects.get(k)!]
  }

  /** The objects under prefix in key order, strictly after afterKey, at most limit of them. */
  scan(prefix: string, afterKey?: string, limit?: number): ScanResult {
    let i = this.lowerBound(prefix)
    if (afterKey !== undefined && afterKey >= prefix) {
      i = Math.max(i, this.lowerBound(afterKey))
      if (this.sorted[i] === afterKey) i++
    }
    const max = limit && limit > 0 ? limit : Infinity
    const keys: string[] = []
    const items: KubeObject[] = []
    for (; i < this.sorted.length; i++) {
      const k = this.sorted[i]!
      if (!k.startsWith(prefix)) break
      if (keys.length >= max) return { keys, items, hasMore: true }
      keys.push(k)
      items.push(this.objects.get(k)!)
    }
    return { keys, items, hasMore: false }
  }

  // First index whose key is >= key (JavaScript string order, i.e. UTF-16 code units, as keys are ASCII).
  private lowerBound(key: string): number {
    let lo = 0
    let hi = this.sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.sorted[mid]! < key) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
