import { mkdir } from 'node:fs/promises'
import type { KubeObject } from '../../api/meta.js'
import { realClock, type Clock } from '../../base/clock.js'
import { silentLogger, type Logger } from '../../base/logger.js'
import { KeyExistsError, KeyNotFoundError, StoreUnavailableError } from '../errors.js'
import { checkPreconditions, decodeFrozen, encodeWithRevision, isNoopUpdate, withRevision } from '../objects.js'
import type { Preconditions, Store, StoreListOptions, StoreListResult, StoreWatch, StoreWatchHandlers } from '../store.js'
import { lockDataDir } from './dir-lock.js'
import { KeyIndex } from './key-index.js'
import { encodeMutation, type Mutation } from './mutation.js'
import { encodeRecord } from './record.js'
import { recover, type RecoveryReport } from './recovery.js'
import { compactAfterSnapshot, writeSnapshot } from './snapshot.js'
import { Wal } from './wal.js'
import { WatchHub } from './watch-hub.js'

/** Options of an EmbeddedStore; without dataDir it keeps everything in memory only. */
export interface EmbeddedStoreOptions {
  /** Directory of the log segments and snapshots; omitted: memory-only (lost on close). */
  dataDir?: string
  clock?: Clock
  logger?: Logger
  /** Watch history kept, in events (default 10000); older start revisions are Expired. */
  historySize?: number
  /** Write a snapshot and start a new log segment after this many records (default 50000). */
  snapshotEvery?: number
  /** fdatasync each batch before acknowledging it (default true; false only for throwaway data). */
  fsync?: boolean
}

/** Counters of an EmbeddedStore, for metrics and for tests that check group commit. */
export interface EmbeddedStoreStats {
  revision: number
  objects: number
  /** Records appended to the log since open. */
  records: number
  /** Batched appends (one write each) and fdatasync calls since open. */
  batches: number
  fsyncs: number
  snapshots: number
  watchers: number
  /** What recovery found at open (undefined when memory-only). */
  recovery?: RecoveryReport
}

interface PendingWrite {
  m: Mutation
  record: Buffer
  result: KubeObject
  resolve(obj: KubeObject): void
  reject(err: Error): void
}

type State = 'new' | 'open' | 'closing' | 'closed' | 'failed'

// Log batches whose fdatasync may run at the same time (see flushLoop).
const MAX_SYNCS_IN_FLIGHT = 2

/**
 * The default Store: objects in memory (frozen, shared by all readers and watchers), every write
 * appended to a checksummed log and fdatasync'd before it is acknowledged, with group commit
 * (writes arriving during an fsync share the next one), periodic snapshots, and watch history.
 * Objects handed out are deeply frozen: callers must clone before modifying.
 */
export class EmbeddedStore implements Store {
  private readonly index = new KeyIndex()
  private readonly hub: WatchHub
  private readonly clock: Clock
  private readonly log: Logger
  private readonly snapshotEvery: number
  private state: State = 'new'
  private failure: Error | undefined
  private revision = 0
  private nextRev = 1
  // Latest state of keys whose writes are sequenced but not yet durable: later writes must see them
  // (preconditions, create-exists), readers must not (they are not acknowledged yet).
  private readonly pending = new Map<string, { rev: number; obj: KubeObject | null }>()
  private queue: PendingWrite[] = []
  private flushing: Promise<void> | undefined
  private wakeFlushLoop: (() => void) | undefined
  private wal: Wal | undefined
  private sinceSnapshot = 0
  private readonly counters = { records: 0, snapshots: 0 }
  private recovery: RecoveryReport | undefined
  private unlock: (() => Promise<void>) | undefined

  constructor(private readonly opts: EmbeddedStoreOptions = {}) {
    this.clock = opts.clock ?? realClock
    this.log = opts.logger ?? silentLogger()
    this.snapshotEvery = opts.snapshotEvery ?? 50_000
    if (!Number.isInteger(this.snapshotEvery) || this.snapshotEvery < 1) {
      throw new RangeError(`snapshotEvery must be a positive integer, got ${opts.snapshotEvery}`)
    }
    this.hub = new WatchHub(opts.historySize ?? 10_000)
  }

  /** Recovers the snapshot and log from dataDir (if any) and starts accepting requests. */
  async open(): Promise<void> {
    if (this.state !== 'new') throw new StoreUnavailableError(`embedded store cannot be opened twice (state: ${this.state})`)
    if (this.opts.dataDir !== undefined) {
      const started = this.clock.hrtime()
      await mkdir(this.opts.dataDir, { recursive: true })
      this.unlock = await lockDataDir(this.opts.dataDir)
      try {
        await this.recoverFrom(this.opts.dataDir)
      } catch (err) {
        // Memory holds a partial state now: this instance is done; a new one may retry.
        this.state = 'failed'
        this.failure = err instanceof Error ? err : new Error(String(err))
        await this.unlock()
        this.unlock = undefined
        throw err
      }
      this.log.info(
        { ...this.recovery, revision: this.revision, objects: this.index.size, ms: Number(this.clock.hrtime() - started) / 1e6 },
        'embedded store recovered',
      )
    }
    this.state = 'open'
  }

  async get(key: string): Promise<KubeObject | undefined> {
    this.ensureUsable()
    return this.index.get(key)
  }

  async list(prefix: string, opts: StoreListOptions = {}): Promise<StoreListResult> {
    this.ensureUsable()
    const page = this.index.scan(prefix, opts.afterKey, opts.limit)
    return { items: page.items, keys: page.keys, hasMore: page.hasMore, resourceVersion: this.revision }
  }

  async create(key: string, obj: KubeObject): Promise<KubeObject> {
    this.ensureUsable()
    if (this.latest(key)) throw new KeyExistsError(key)
    return this.submit(key, obj)
  }

  async update(key: string, obj: KubeObject, pre?: Preconditions): Promise<KubeObject> {
    this.ensureUsable()
    const current = this.latest(key)
    if (!current) throw new KeyNotFoundError(key)
    checkPreconditions(key, current, pre)
    // A pending current object is not acknowledged yet, so it cannot be returned as the result.
    if (!this.pending.has(key) && isNoopUpdate(current, obj)) return current
    return this.submit(key, obj)
  }

  async delete(key: string, pre?: Preconditions): Promise<KubeObject> {
    this.ensureUsable()
    const current = this.latest(key)
    if (!current) throw new KeyNotFoundError(key)
    checkPreconditions(key, current, pre)
    return this.submit(key, null, current)
  }

  async watch(prefix: string, fromRevision: number, handlers: StoreWatchHandlers): Promise<StoreWatch> {
    this.ensureUsable()
    return this.hub.watch(prefix, fromRevision, handlers)
  }

  async currentRevision(): Promise<number> {
    this.ensureUsable()
    return this.revision
  }

  /** Counters since open (log records, batches, fsyncs, snapshots) and what recovery found. */
  stats(): EmbeddedStoreStats {
    return {
      revision: this.revision,
      objects: this.index.size,
      records: this.counters.records,
      batches: this.wal?.batches ?? 0,
      fsyncs: this.wal?.fsyncs ?? 0,
      snapshots: this.counters.snapshots,
      watchers: this.hub.watcherCount,
      recovery: this.recovery,
    }
  }

  /** Writes a snapshot now and compacts the log behind it (normally triggered by snapshotEvery). */
  async snapshot(): Promise<void> {
    this.ensureUsable()
    if (!this.wal) return
    // Take the flush loop's turn, so no batch is in flight while the log rotates; writes queued
    // meanwhile are flushed right after.
    while (this.flushing) await this.flushing
    this.flushing = (async () => {
      await this.takeSnapshot()
      await this.flushLoop()
    })().finally(() => {
      this.flushing = undefined
    })
    await this.flushing
  }

  /** Finishes the writes already accepted, closes the log and ends every watch. */
  async close(): Promise<void> {
    if (this.state === 'closed') return
    if (this.state === 'open') this.state = 'closing'
    while (this.flushing) await this.flushing
    await this.wal?.close()
    await this.unlock?.()
    this.state = 'closed'
    this.hub.closeAll(new StoreUnavailableError('embedded store closed'))
  }

  // Loads the snapshot and replays the log into memory and watch history, then opens the log for appending.
  private async recoverFrom(dir: string): Promise<void> {
    const result = await recover(dir, {
      onSnapshot: (rev, entries) => {
        for (const [k, obj] of entries) this.index.set(k, obj)
        this.revision = rev
        this.hub.reset(rev)
      },
      onMutation: (m) => this.apply(m),
    })
    this.recovery = result.report
    this.nextRev = this.revision + 1
    this.sinceSnapshot = result.report.recordsReplayed
    this.wal = await Wal.open(dir, result.appendSegment, { fsync: this.opts.fsync ?? true })
  }

  private ensureUsable(): void {
    if (this.state === 'open') return
    if (this.state === 'new') throw new StoreUnavailableError('embedded store is not open: call open() before using it')
    if (this.state === 'failed') {
      throw new StoreUnavailableError(`embedded store failed and stopped accepting requests (${this.failure?.message}); restart to recover from the log`, {
        cause: this.failure,
      })
    }
    throw new StoreUnavailableError('embedded store is closed')
  }

  private latest(key: string): KubeObject | undefined {
    const p = this.pending.get(key)
    if (p) return p.obj ?? undefined
    return this.index.get(key)
  }

  // Sequences a write (revision, encoding) and, with a log, queues it for the next group commit.
  private submit(key: string, obj: KubeObject | null, deleted?: KubeObject): Promise<KubeObject> {
    const rev = this.nextRev++
    const json = obj === null ? null : encodeWithRevision(obj, rev)
    const stored = json === null ? null : decodeFrozen(json)
    const result = stored ?? withRevision(deleted!, rev)
    const m: Mutation = { rev, key, obj: stored }
    if (!this.wal) {
      this.apply(m)
      return Promise.resolve(result)
    }
    this.pending.set(key, { rev, obj: stored })
    return new Promise<KubeObject>((resolve, reject) => {
      this.queue.push({ m, record: encodeRecord(encodeMutation(rev, key, json)), result, resolve, reject })
      const wake = this.wakeFlushLoop
      this.wakeFlushLoop = undefined
      wake?.()
      this.flushing ??= this.flushLoop().finally(() => {
        this.flushing = undefined
      })
    })
  }

  // Group commit, pipelined: everything queued is written as one batch and its fdatasync started;
  // writes queued meanwhile form the next batch, written and synced while the previous sync is still
  // in flight (up to MAX_SYNCS_IN_FLIGHT), because concurrent fdatasyncs share one journal commit
  // (ext4 batches them) instead of queueing behind each other. Batches are applied and acknowledged
  // strictly in revision order, each only once its own sync (which covers every earlier write) is done.
  private async flushLoop(): Promise<void> {
    const inflight: { batch: PendingWrite[]; synced: Promise<void> }[] = []
    for (;;) {
      // A due snapshot drains the in-flight batches first: the log must not rotate under them.
      const snapshotDue = this.sinceSnapshot >= this.snapshotEvery
      if (this.queue.length > 0 && inflight.length < MAX_SYNCS_IN_FLIGHT && !snapshotDue) {
        const batch = this.queue
        this.queue = []
        try {
          this.wal!.write(batch.map((w) => w.record))
        } catch (err) {
          this.fail(err, [...inflight.flatMap((f) => f.batch), ...batch])
          return
        }
        const synced = this.wal!.sync()
        // Rejections are handled when the batch's turn comes; this only keeps them from being unhandled.
        synced.catch(() => undefined)
        inflight.push({ batch, synced })
        continue
      }
      const head = inflight[0]
      if (!head) {
        if (!snapshotDue) return
        await this.takeSnapshot()
        continue
      }
      let settled = false
      const headSettled = head.synced.then(
        () => void (settled = true),
        () => void (settled = true),
      )
      // With room for another sync, new writes need not wait for this one.
      if (inflight.length < MAX_SYNCS_IN_FLIGHT && !snapshotDue) await Promise.race([headSettled, this.nextSubmit()])
      else await headSettled
      if (!settled) continue
      try {
        await head.synced
      } catch (err) {
        this.fail(err, inflight.flatMap((f) => f.batch))
        return
      }
      inflight.shift()
      for (const w of head.batch) {
        this.apply(w.m)
        w.resolve(w.result)
      }
      this.counters.records += head.batch.length
      this.sinceSnapshot += head.batch.length
    }
  }

  // Resolves at the next submit() (the flush loop waits on it between syncs).
  private nextSubmit(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeFlushLoop = resolve
    })
  }

  private async takeSnapshot(): Promise<void> {
    const dir = this.opts.dataDir!
    const rev = this.revision
    try {
      await writeSnapshot(dir, rev, this.index.entries())
      await this.wal!.rotate(rev + 1)
      this.sinceSnapshot = 0
      this.counters.snapshots++
    } catch (err) {
      // The log still holds everything, so a failed snapshot costs only replay time; retry later.
      this.sinceSnapshot = 0
      this.log.error({ err, revision: rev }, 'embedded store snapshot failed; the log keeps growing')
      return
    }
    try {
      await compactAfterSnapshot(dir, rev)
    } catch (err) {
      this.log.warn({ err, revision: rev }, 'embedded store could not delete old log segments or snapshots')
    }
  }

  // A failed log write leaves the disk state unknown: stop, like etcd does, and let a restart
  // recover from what is durable.
  private fail(err: unknown, batch: PendingWrite[]): void {
    this.state = 'failed'
    this.failure = err instanceof Error ? err : new Error(String(err))
    const e = new StoreUnavailableError(`embedded store log write failed: ${this.failure.message}`, { cause: err })
    for (const w of [...batch, ...this.queue]) w.reject(e)
    this.queue = []
    this.pending.clear()
    this.log.error({ err }, 'embedded store log write failed; store stopped')
    this.hub.closeAll(e)
  }

  // Makes a durable mutation visible: memory, then watchers (publish is in revision order).
  private apply(m: Mutation): void {
    const prev = this.index.get(m.key)
    this.revision = m.rev
    const p = this.pending.get(m.key)
    if (p && p.rev === m.rev) this.pending.delete(m.key)
    if (m.obj) {
      this.index.set(m.key, m.obj)
      this.hub.publish(prev ? { type: 'MODIFIED', key: m.key, object: m.obj, prevObject: prev, resourceVersion: m.rev } : { type: 'ADDED', key: m.key, object: m.obj, resourceVersion: m.rev })
    } else if (prev) {
      this.index.delete(m.key)
      this.hub.publish({ type: 'DELETED', key: m.key, object: withRevision(prev, m.rev), prevObject: prev, resourceVersion: m.rev })
    }
  }
}
