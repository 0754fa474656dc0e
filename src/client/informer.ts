// An informer as client-go's reflector + shared informer, in one file: list, then watch from the
// list's resourceVersion, keep a local indexed cache, and tell handlers what changed.
//
// upstream: client-go/tools/cache/reflector.go (ListAndWatch) and shared_informer.go (HandleDeltas)
import { EventEmitter } from 'node:events'
import { StatusError } from '../api/errors.js'
import type { KubeObject, WatchEvent } from '../api/meta.js'
import { groupVersion, type ResourceInfo } from '../api/registry.js'
import type { Clock, TimerHandle } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import { Cache, objectKey, type IndexFunc } from './cache.js'
import type { RestClient } from './rest-client.js'

/** Callbacks for changes seen by an informer; each is optional. */
export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void
  /** Called with the same object twice on a periodic resync. */
  onUpdate?(oldObj: T, newObj: T): void
  /** For a delete noticed only on relist, the object is the last state the cache held. */
  onDelete?(obj: T): void
}

/** What an informer needs from a client: paged list and watch (RestClient has both). */
export type ListerWatcher = Pick<RestClient, 'listAll' | 'watch'>

/** Options of an Informer; the constructor does no I/O. */
export interface InformerOptions {
  client: ListerWatcher
  resource: ResourceInfo
  /** Watch one namespace; undefined watches all. */
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  clock: Clock
  /** Every this many ms, onUpdate(obj, obj) for every cached object; 0/undefined: never. */
  resyncPeriodMs?: number
  /** Retry delay after a failed list or watch; doubles up to backoffMaxMs. */
  backoffInitialMs?: number
  backoffMaxMs?: number
  /** Asks the server to end each watch after this long (the informer then re-watches). */
  watchTimeoutSeconds?: number
  logger?: Logger
}

/**
 * Lists and watches one resource into a local cache and calls handlers on every change.
 * Events: 'synced' (first list done), 'listed' (rv) after every list, 'event' (WatchEvent) after each
 * watch event is applied, 'expired' when a 410 forces a relist, 'retry' (err, delayMs) before a backoff,
 * 'stopped'.
 */
export class Informer<T extends KubeObject = KubeObject> extends EventEmitter {
  /** The local cache: read it, never write it. */
  readonly cache = new Cache<T>()
  /** Resolves once the first list has been delivered to handlers. */
  readonly synced: Promise<void>
  private resolveSynced!: () => void
  private isSynced = false
  private rv = ''
  private readonly handlers: InformerHandlers<T>[] = []
  private readonly stopper = new AbortController()
  private running?: Promise<void>
  private resyncTimer?: TimerHandle
  private readonly log: Logger

  constructor(private readonly opts: InformerOptions) {
    super()
    this.log = opts.logger ?? silentLogger()
    this.synced = new Promise((resolve) => (this.resolveSynced = resolve))
  }

  /** Registers handlers; after sync, the new handler first gets onAdd for every cached object, as upstream. */
  addEventHandler(h: InformerHandlers<T>): void {
    this.handlers.push(h)
    if (this.isSynced) for (const obj of this.cache.list()) this.call(h, 'onAdd', obj)
  }

  /** Adds a secondary index to the cache (`addIndexer('nodeName', (p) => [p.spec.nodeName])`). */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndexer(name, fn)
  }

  /** Objects whose index `name` holds `value`. */
  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value)
  }

  /** True once the first list has been delivered. */
  hasSynced(): boolean {
    return this.isSynced
  }

  /** The resourceVersion the next watch resumes from. */
  lastSyncResourceVersion(): string {
    return this.rv
  }

  /** Starts listing and watching; resolves when stopped (stop() or the signal). Call once. */
  start(signal?: AbortSignal): Promise<void> {
    if (this.running) throw new Error('informer already started: create a new Informer to start again')
    if (signal) {
      if (signal.aborted) this.stopper.abort()
      else signal.addEventListener('abort', () => this.stop(), { once: true })
    }
    this.running = this.run(this.stopper.signal).finally(() => {
      this.opts.clock.clearInterval(this.resyncTimer)
      this.emit('stopped')
    })
    return this.running
  }

  /** Ends the watch and any pending retry; the promise from start() then resolves. */
  stop(): void {
    this.stopper.abort()
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.opts
    const initial = this.opts.backoffInitialMs ?? 800
    const max = this.opts.backoffMaxMs ?? 30_000
    let delay = initial
    let needList = true
    while (!signal.aborted) {
      let events = 0
      try {
        if (needList) {
          await this.relist(signal)
          needList = false
          delay = initial
        }
        const stream = this.opts.client.watch<T>(this.opts.resource, {
          namespace: this.opts.namespace,
          labelSelector: this.opts.labelSelector,
          fieldSelector: this.opts.fieldSelector,
          resourceVersion: this.rv,
          allowWatchBookmarks: true,
          timeoutSeconds: this.opts.watchTimeoutSeconds,
          signal,
        })
        for await (const ev of stream) {
          if (ev.type === 'ERROR') throw statusFromEvent(ev.object)
          this.apply(ev)
          events++
          delay = initial
        }
        // A clean end (server timeout) resumes at once from the last resourceVersion; a watch that
        // ends before any event could be a server closing on us in a loop, so it backs off below.
        if (events > 0 || signal.aborted) continue
        throw new Error('watch closed before any event')
      } catch (err) {
        if (signal.aborted) break
        if (err instanceof StatusError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone')) {
          // upstream: reflector.go (isExpiredError → relist): history is gone, only a full list can resync.
          this.log.info({ resource: this.opts.resource.plural, rv: this.rv }, 'watch expired; relisting')
          needList = true
          this.emit('expired', err)
          continue
        }
        this.log.warn({ resource: this.opts.resource.plural, err: (err as Error).message, delayMs: delay }, 'list/watch failed; retrying')
        this.emit('retry', err, delay)
        try {
          await clock.sleep(delay, signal)
        } catch {
          break
        }
        delay = Math.min(delay * 2, max)
      }
    }
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const list = await this.opts.client.listAll<T>(this.opts.resource, {
      namespace: this.opts.namespace,
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
      signal,
    })
    if (signal.aborted) return
    const seen = new Set<string>()
    for (const item of list.items) {
      // List items may leave apiVersion/kind out (upstream does); handlers get them filled in.
      const obj = { apiVersion: groupVersion(this.opts.resource), kind: this.opts.resource.kind, ...item } as T
      const old = this.cache.upsert(obj)
      seen.add(objectKey(obj))
      // Unlike upstream's Replace (onUpdate for every object), only real changes are delivered;
      // periodic resync is the place for "tell me everything again".
      if (!old) this.dispatch('onAdd', obj)
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.dispatch('onUpdate', old, obj)
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue
      const gone = this.cache.removeKey(key)!
      this.dispatch('onDelete', gone)
    }
    this.rv = list.metadata?.resourceVersion ?? ''
    this.emit('listed', this.rv)
    if (!this.isSynced) {
      this.isSynced = true
      this.startResync()
      this.resolveSynced()
      this.emit('synced')
    }
  }

  private apply(ev: WatchEvent<T>): void {
    const obj = ev.object
    const rv = obj?.metadata?.resourceVersion
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const old = this.cache.upsert(obj)
        if (old) this.dispatch('onUpdate', old, obj)
        else this.dispatch('onAdd', obj)
        break
      }
      case 'DELETED':
        this.cache.remove(obj)
        this.dispatch('onDelete', obj)
        break
      case 'BOOKMARK':
        // Only moves the resume point forward: nothing changed.
        break
    }
    if (rv) this.rv = rv
    this.emit('event', ev)
  }

  private startResync(): void {
    const period = this.opts.resyncPeriodMs ?? 0
    if (period <= 0) return
    this.resyncTimer = this.opts.clock.setInterval(() => {
      for (const obj of this.cache.list()) this.dispatch('onUpdate', obj, obj)
      this.emit('resync')
    }, period)
  }

  private dispatch(kind: 'onAdd' | 'onDelete', obj: T): void
  private dispatch(kind: 'onUpdate', oldObj: T, newObj: T): void
  private dispatch(kind: keyof InformerHandlers<T>, a: T, b?: T): void {
    for (const h of this.handlers) this.call(h, kind, a, b)
  }

  private call(h: InformerHandlers<T>, kind: keyof InformerHandlers<T>, a: T, b?: T): void {
    try {
      if (kind === 'onUpdate') h.onUpdate?.(a, b!)
      else h[kind]?.(a)
    } catch (err) {
      // A failing handler must not stop the informer (other handlers still need events).
      this.log.error({ resource: this.opts.resource.plural, err: (err as Error).message }, `informer ${kind} handler threw`)
      this.emit('handlerError', err)
    }
  }
}

function statusFromEvent(obj: unknown): StatusError {
  const s = obj as { code?: number; reason?: string; message?: string; details?: StatusError['details'] }
  return new StatusError(s?.code ?? 500, s?.reason ?? 'InternalError', s?.message ?? 'watch ERROR event without a Status', s?.details)
}
