// Remembers the objects a controller wrote until its informer has caught up, so a sync that runs
// before the watch event arrives plans against what is really stored (no duplicate creates, no
// updates from stale copies).
// upstream: pkg/controller/endpointslice/endpointslice_tracker.go (the same idea, per slice generation)
import type { KubeObject } from '../api/meta.js'
import { objectKey } from '../client/cache.js'

const rvOf = (o: KubeObject | undefined): number => Number(o?.metadata.resourceVersion ?? 0) || 0

/** Objects written or deleted by us, newer than the informer's view. */
export class WriteTracker<T extends KubeObject> {
  private readonly written = new Map<string, T>()
  private readonly deleted = new Map<string, number>()

  /** Records an object as returned by create/update. */
  wrote(obj: T): void {
    this.written.set(objectKey(obj), obj)
    this.deleted.delete(objectKey(obj))
  }

  /** Records a delete we issued (resourceVersion of the last version we knew). */
  removed(obj: T): void {
    this.written.delete(objectKey(obj))
    this.deleted.set(objectKey(obj), rvOf(obj))
  }

  /** Called from the informer: drops what the cache now reflects. */
  observe(obj: T, gone = false): void {
    const k = objectKey(obj)
    const mine = this.written.get(k)
    if (mine && rvOf(obj) >= rvOf(mine)) this.written.delete(k)
    if (gone) this.deleted.delete(k)
  }

  /** The freshest view of a set of cached objects plus the ones we wrote that match `filter`. */
  merge(cached: readonly T[], filter: (o: T) => boolean): T[] {
    const out = new Map<string, T>()
    for (const o of cached) {
      const k = objectKey(o)
      if (this.deleted.has(k)) continue
      const mine = this.written.get(k)
      out.set(k, mine && rvOf(mine) > rvOf(o) ? mine : o)
    }
    for (const [k, o] of this.written) if (!out.has(k) && !this.deleted.has(k) && filter(o)) out.set(k, o)
    return [...out.values()]
  }

  /** The freshest view of one object. */
  get(key: string, cached: T | undefined): T | undefined {
    if (this.deleted.has(key)) return undefined
    const mine = this.written.get(key)
    if (mine && rvOf(mine) > rvOf(cached)) return mine
    return cached
  }
}
