import { ExpiredError } from '../errors.js'
import type { StoreEvent, StoreWatch, StoreWatchHandlers } from '../store.js'

interface Watcher {
  prefix: string
  handlers: StoreWatchHandlers
  /** Events waiting while the watcher replays history (delivered in order before going live). */
  backlog: StoreEvent[] | undefined
  stopped: boolean
}

/**
 * The recent history of changes (a ring of the last `capacity` events) and the watchers fed from it.
 * Events must be published in revision order with contiguous revisions (one per write). Every
 * watcher receives the same frozen event objects: fan-out costs a prefix test per watcher.
 */
export class WatchHub {
  private readonly ring: (StoreEvent | undefined)[]
  private start = 0
  private count = 0
  private readonly watchers = new Set<Watcher>()
  private readonly outbox: StoreEvent[] = []
  private draining = false

  /** compactedRevision: the revision before the oldest event kept (the store's revision at open). */
  constructor(
    private readonly capacity: number,
    private compactedRevision = 0,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`historySize must be a positive integer, got ${capacity}`)
    this.ring = new Array(capacity)
  }

  /** Forgets all history up to and including rev (the store was (re)loaded at rev). */
  reset(rev: number): void {
    this.ring.fill(undefined)
    this.start = 0
    this.count = 0
    this.compactedRevision = rev
  }

  /** The oldest revision a watch may start from (events after it are kept); older ones are Expired.
   * upstream: staging/src/k8s.io/apiserver/pkg/storage/cacher/watch_cache.go ("too old resource version: %d (%d)") */
  get oldestWatchableRevision(): number {
    return this.compactedRevision
  }

  /** Number of running watches. */
  get watcherCount(): number {
    return this.watchers.size
  }

  /** Records ev in history and hands it to every matching watcher, in publish order. */
  publish(ev: StoreEvent): void {
    if (this.count === this.capacity) {
      this.compactedRevision = this.ring[this.start]!.resourceVersion
      this.start = (this.start + 1) % this.capacity
      this.count--
    }
    this.ring[(this.start + this.count) % this.capacity] = ev
    this.count++
    this.outbox.push(ev)
    // A handler may write to the store, which publishes again: queue it, so every watcher still
    // sees events in revision order.
    if (this.draining) return
    this.draining = true
    try {
      for (let i = 0; i < this.outbox.length; i++) {
        const next = this.outbox[i]!
        for (const w of this.watchers) {
          // A watcher whose handler threw is stopped but still listed; drop it here.
          if (w.stopped) this.watchers.delete(w)
          else if (next.key.startsWith(w.prefix)) deliver(w, next)
        }
      }
    } finally {
      this.outbox.length = 0
      this.draining = false
    }
  }

  /**
   * Starts a watch of every event under prefix with revision > fromRevision: first the ones in
   * history (delivered from a microtask, so the caller gets its handle first), then live ones.
   * Throws ExpiredError when history no longer reaches back to fromRevision.
   */
  watch(prefix: string, fromRevision: number, handlers: StoreWatchHandlers): StoreWatch {
    if (fromRevision < this.compactedRevision) throw new ExpiredError(fromRevision, this.compactedRevision)
    const w: Watcher = { prefix, handlers, backlog: this.since(prefix, fromRevision), stopped: false }
    this.watchers.add(w)
    queueMicrotask(() => {
      const backlog = w.backlog!
      // The loop re-reads length: handlers may cause new events, which land in the backlog.
      for (let i = 0; i < backlog.length && !w.stopped; i++) call(w, backlog[i]!)
      w.backlog = undefined
    })
    return {
      stop: () => {
        w.stopped = true
        this.watchers.delete(w)
      },
    }
  }

  /** Ends every watch with err (store closing or failed). */
  closeAll(err: Error): void {
    for (const w of this.watchers) {
      if (w.stopped) continue
      w.stopped = true
      w.handlers.onError?.(err)
    }
    this.watchers.clear()
  }

  // History events under prefix with revision > fromRevision; revisions are contiguous, so the
  // first one is found by arithmetic, not search.
  private since(prefix: string, fromRevision: number): StoreEvent[] {
    const out: StoreEvent[] = []
    if (this.count === 0) return out
    const oldest = this.ring[this.start]!.resourceVersion
    for (let i = Math.max(0, fromRevision + 1 - oldest); i < this.count; i++) {
      const ev = this.ring[(this.start + i) % this.capacity]!
      if (ev.key.startsWith(prefix)) out.push(ev)
    }
    return out
  }
}

function deliver(w: Watcher, ev: StoreEvent): void {
  if (w.stopped) return
  if (w.backlog) w.backlog.push(ev)
  else call(w, ev)
}

function call(w: Watcher, ev: StoreEvent): void {
  try {
    w.handlers.onEvent(ev)
  } catch (err) {
    // One failing consumer must not starve the others; it hears about its own failure.
    w.stopped = true
    w.handlers.onError?.(err instanceof Error ? err : new Error(String(err)))
  }
}
