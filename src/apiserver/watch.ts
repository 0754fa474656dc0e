// Watch streams: `?watch=true` on a list path answers 200 at once (headers flushed), then one JSON
// event per line, `{"type","object"}`, until timeoutSeconds passes, the client goes away or the server
// stops. Selector watches turn "stopped matching" into DELETED and "started matching" into ADDED.
// upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go (serveWatch),
//           staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go (convertToWatchEvent)
import { EventEmitter } from 'node:events'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { KubeObject, WatchEvent, WatchEventType } from '../api/meta.js'
import { groupVersion } from '../api/registry.js'
import { badRequest, expired, internalError } from '../api/errors.js'
import type { Clock, TimerHandle } from '../base/clock.js'
import type { Logger } from '../base/logger.js'
import { ExpiredError } from '../storage/errors.js'
import { jsonOf } from '../storage/objects.js'
import type { StoreEvent, StoreWatch } from '../storage/store.js'
import { toTable, type IncludeObject } from './table/index.js'
import { CACHE_CONTROL } from './errors.js'
import { compileFilter, type ObjectFilter, type ResourceRest } from './registry/rest.js'
import { withTypeMeta } from './registry/strategy.js'

/** How rows of Table watch events carry their object (`includeObject`). */
export type { IncludeObject }

/** The parameters of one watch request. */
export interface WatchParams {
  rest: ResourceRest
  namespace?: string
  resourceVersion?: string
  labelSelector?: string
  fieldSelector?: string
  allowWatchBookmarks?: boolean
  timeoutSeconds?: number
  /** Set when the client asked for Table events. */
  table?: { includeObject: IncludeObject }
}

/** Default interval of BOOKMARK events when the client allows them (upstream sends one about every minute). */
export const BOOKMARK_INTERVAL_MS = 60_000

/** Bytes a watch may have queued for a slow client before the server ends it. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024

/** Serves watch streams and ends them all when the server closes; emits `closed` after each stream ends. */
export class WatchServer extends EventEmitter {
  private readonly clock: Clock
  private readonly logger: Logger
  private readonly bookmarkIntervalMs: number
  private readonly open = new Set<() => void>()
  // The encoded event line per (frozen, shared) store object: every watcher of it writes the same
  // string instead of serialising the object again.
  private readonly lines = new WeakMap<object, { type: WatchEventType; line: string }>()

  constructor(opts: { clock: Clock; logger: Logger; bookmarkIntervalMs?: number }) {
    super()
    this.clock = opts.clock
    this.logger = opts.logger
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? BOOKMARK_INTERVAL_MS
  }

  /** Number of streams currently open (tests check that none leak). */
  get activeCount(): number {
    return this.open.size
  }

  /** Ends every open stream (server shutdown). */
  closeAll(): void {
    for (const end of [...this.open]) end()
  }

  /** Answers one watch request; errors before the stream starts are thrown (and become a Status). */
  async serve(req: FastifyRequest, reply: FastifyReply, p: WatchParams): Promise<void> {
    const r = p.rest.resource
    const store = p.rest.deps.store
    const filter = compileFilter(r, p.labelSelector, p.fieldSelector)
    const prefix = p.rest.prefix(p.namespace)
    let startRev: number
    let initial: KubeObject[] = []
    if (p.resourceVersion === undefined || p.resourceVersion === '' || p.resourceVersion === '0') {
      // No resourceVersion: the current state first, as synthetic ADDED events, then the changes.
      const page = await store.list(prefix)
      startRev = page.resourceVersion
      initial = filter ? page.items.filter(filter) : page.items
    } else {
      startRev = Number(p.resourceVersion)
      if (!Number.isInteger(startRev) || startRev < 0) throw badRequest(`resourceVersion: "${p.resourceVersion}" is not a valid resource version`)
    }

    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': p.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
      'cache-control': CACHE_CONTROL,
      'transfer-encoding': 'chunked',
    })
    // Without this, clients wait for the first event to see the headers (kubectl-surface.md §2.3).
    res.flushHeaders()

    let lastRV = startRev
    // A keep-alive socket outlives the stream: its listener is removed again in end().
    const socket = req.raw.socket
    let storeWatch: StoreWatch | undefined
    let bookmarkTimer: TimerHandle | undefined
    let timeoutTimer: TimerHandle | undefined
    let ended = false
    const end = (): void => {
      if (ended) return
      ended = true
      this.open.delete(end)
      socket?.off('close', end)
      storeWatch?.stop()
      this.clock.clearInterval(bookmarkTimer)
      this.clock.clearTimeout(timeoutTimer)
      if (!res.writableEnded) res.end()
      this.emit('closed')
    }
    this.open.add(end)
    res.on('close', end)
    socket?.on('close', end)

    let corked = false
    const writeLine = (line: string): void => {
      if (ended) return
      // Events of one store batch arrive synchronously: cork so they leave as one write (one TLS
      // record, one syscall), and uncork at the end of this tick so nothing waits for a later one.
      if (!corked) {
        corked = true
        res.cork()
        queueMicrotask(() => {
          corked = false
          res.uncork()
        })
      }
      res.write(line)
      // A client that stops reading is cut off rather than buffered without bound; it re-lists and
      // re-watches (upstream cacher: "Forcing watcher close due to unresponsiveness").
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.logger.warn({ resource: r.plural, buffered: res.writableLength }, 'closing unresponsive watch')
        end()
      }
    }
    const write = (ev: WatchEvent<unknown>): void => writeLine(`${JSON.stringify(ev)}\n`)
    const emit = (type: WatchEventType, obj: KubeObject): void => {
      const o = withTypeMeta(r, obj)
      if (p.table) {
        write({ type, object: toTable(r, [o], { now: this.clock.now(), includeObject: p.table.includeObject, resourceVersion: o.metadata.resourceVersion }) })
        return
      }
      writeLine(this.lineFor(type, o))
    }
    const sendError = (err: unknown): void => {
      const status = err instanceof ExpiredError ? expired(`too old resource version: ${err.requested} (${err.oldest})`) : internalError(String((err as Error)?.message ?? err))
      if (!(err instanceof ExpiredError)) this.logger.warn({ err }, 'watch failed')
      write({ type: 'ERROR', object: status.toStatus() })
      end()
    }

    // Timers start with the stream (before the store watch), so the clock governs it from the first byte.
    if (p.allowWatchBookmarks) {
      bookmarkTimer = this.clock.setInterval(() => {
        write({ type: 'BOOKMARK', object: { kind: r.kind, apiVersion: groupVersion(r), metadata: { resourceVersion: String(lastRV) } } })
      }, this.bookmarkIntervalMs)
    }
    if (p.timeoutSeconds !== undefined && p.timeoutSeconds > 0) {
      timeoutTimer = this.clock.setTimeout(end, p.timeoutSeconds * 1000)
    }
    for (const obj of initial) emit('ADDED', obj)
    try {
      storeWatch = await store.watch(prefix, startRev, {
        onEvent: (ev) => {
          lastRV = ev.resourceVersion
          const out = convertEvent(ev, filter)
          if (out) emit(out.type, out.object)
        },
        onError: sendError,
      })
    } catch (err) {
      sendError(err)
      return
    }
    if (ended) {
      // The client left while the store watch was starting.
      storeWatch.stop()
      return
    }
  }

  // `JSON.stringify({type, object}) + "\n"`, remembered for frozen objects (store objects are deeply
  // frozen and shared by every watcher, so the line is built once per event, not once per watcher).
  private lineFor(type: WatchEventType, o: KubeObject): string {
    const hit = this.lines.get(o)
    if (hit?.type === type) return hit.line
    const line = `{"type":${JSON.stringify(type)},"object":${jsonOf(o)}}\n`
    if (Object.isFrozen(o)) this.lines.set(o, { type, line })
    return line
  }
}

/**
 * The event a selector watch sends for a store change: objects entering the selection are ADDED,
 * leaving it DELETED (with their last matching state, stamped with the change's revision).
 */
export function convertEvent(ev: StoreEvent, filter: ObjectFilter | undefined): { type: WatchEventType; object: KubeObject } | undefined {
  if (!filter) return { type: ev.type, object: ev.object }
  const cur = filter(ev.object)
  const prev = ev.prevObject ? filter(ev.prevObject) : ev.type === 'MODIFIED' ? cur : false
  switch (ev.type) {
    case 'ADDED':
      return cur ? { type: 'ADDED', object: ev.object } : undefined
    case 'DELETED':
      return cur || prev ? { type: 'DELETED', object: ev.object } : undefined
    case 'MODIFIED':
      if (cur && prev) return { type: 'MODIFIED', object: ev.object }
      if (cur) return { type: 'ADDED', object: ev.object }
      if (prev && ev.prevObject) {
        const gone = { ...ev.prevObject, metadata: { ...ev.prevObject.metadata, resourceVersion: String(ev.resourceVersion) } }
        return { type: 'DELETED', object: gone }
      }
      return undefined
  }
}
