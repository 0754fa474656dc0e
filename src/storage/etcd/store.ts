import { Etcd3, EtcdError, type IKeyValue, type IRangeResponse, type ITxnResponse, type Watcher } from 'etcd3'
import type { KubeObject } from '../../api/meta.js'
import { realClock, type Clock } from '../../base/clock.js'
import { ExpiredError, KeyExistsError, KeyNotFoundError, StoreUnavailableError } from '../errors.js'
import { checkPreconditions } from '../objects.js'
import type { Preconditions, Store, StoreEvent, StoreListOptions, StoreListResult, StoreWatch, StoreWatchHandlers } from '../store.js'
import { decodeKv, encodeValue, prefixRangeEnd, restamp } from './codec.js'

/** Options of an EtcdStore. */
export interface EtcdStoreOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379`. */
  endpoints: string[]
  clock?: Clock
  /** Connection timeout per endpoint in ms (default 5000). */
  dialTimeoutMs?: number
}

// A key's current state: the decoded object and the raw bytes (for no-op detection).
interface Current {
  obj: KubeObject
  kv: IKeyValue
}

/**
 * A Store on etcd v3, laid out as kube-apiserver does: keys as given (`/registry/...`), JSON
 * values, etcd's revision as resourceVersion (mod_revision per object, the header revision per
 * list), writes as transactions that compare revisions.
 * upstream: staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go
 */
export class EtcdStore implements Store {
  private client: Etcd3 | undefined
  private readonly watchers = new Set<Watcher>()
  private readonly clock: Clock

  constructor(private readonly opts: EtcdStoreOptions) {
    if (!opts.endpoints?.length) throw new StoreUnavailableError('etcd store needs at least one endpoint (--etcd-servers=http://127.0.0.1:2379)')
    this.clock = opts.clock ?? realClock
  }

  /** Connects and checks that etcd answers. */
  async open(): Promise<void> {
    this.client = new Etcd3({ hosts: this.opts.endpoints, dialTimeout: this.opts.dialTimeoutMs ?? 5000 })
    await this.currentRevision()
  }

  async get(key: string): Promise<KubeObject | undefined> {
    const res = await this.call('get', (c) => c.kv.range({ key: Buffer.from(key) }))
    const kv = res.kvs[0]
    return kv ? decodeKv(kv) : undefined
  }

  async list(prefix: string, opts: StoreListOptions = {}): Promise<StoreListResult> {
    // Continue strictly after afterKey: the smallest key greater than it is afterKey + "\0".
    const start = opts.afterKey !== undefined && opts.afterKey >= prefix ? Buffer.from(`${opts.afterKey}\0`) : Buffer.from(prefix)
    const res = await this.call('list', (c) =>
      c.kv.range({ key: start, range_end: prefixRangeEnd(prefix), limit: opts.limit && opts.limit > 0 ? opts.limit : 0 }),
    )
    return {
      items: res.kvs.map((kv) => decodeKv(kv)),
      keys: res.kvs.map((kv) => kv.key.toString('utf8')),
      hasMore: res.more,
      resourceVersion: Number(res.header.revision),
    }
  }

  async create(key: string, obj: KubeObject): Promise<KubeObject> {
    const k = Buffer.from(key)
    const value = encodeValue(obj)
    // upstream: etcd3/store.go (Create: notFound(key) is ModRevision == 0)
    const res = await this.call('create', (c) =>
      c.kv.txn({ compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: 0 }], success: [{ request_put: { key: k, value } }] }),
    )
    if (!res.succeeded) throw new KeyExistsError(key)
    return decodeKv({ key: k, value, mod_revision: res.header.revision } as IKeyValue)
  }

  async update(key: string, obj: KubeObject, pre?: Preconditions): Promise<KubeObject> {
    const k = Buffer.from(key)
    const value = encodeValue(obj)
    let current = await this.current(key)
    // Compare-and-swap on mod_revision; when someone else wrote in between, re-check against the
    // new state (preconditions may now fail) and try again.
    // upstream: etcd3/store.go (GuaranteedUpdate)
    for (;;) {
      if (!current) throw new KeyNotFoundError(key)
      checkPreconditions(key, current.obj, pre)
      if (current.kv.value.equals(value)) return current.obj
      const modRev = current.kv.mod_revision
      const res = await this.call('update', (c) =>
        c.kv.txn({
          compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: modRev }],
          success: [{ request_put: { key: k, value } }],
          failure: [{ request_range: { key: k } }],
        }),
      )
      if (res.succeeded) return decodeKv({ key: k, value, mod_revision: res.header.revision } as IKeyValue)
      current = currentFromFailure(res)
    }
  }

  async delete(key: string, pre?: Preconditions): Promise<KubeObject> {
    const k = Buffer.from(key)
    let current = await this.current(key)
    // upstream: etcd3/store.go (conditionalDelete)
    for (;;) {
      if (!current) throw new KeyNotFoundError(key)
      checkPreconditions(key, current.obj, pre)
      const modRev = current.kv.mod_revision
      const res = await this.call('delete', (c) =>
        c.kv.txn({
          compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: modRev }],
          success: [{ request_delete_range: { key: k } }],
          failure: [{ request_range: { key: k } }],
        }),
      )
      if (res.succeeded) return restamp(current.obj, Number(res.header.revision))
      current = currentFromFailure(res)
    }
  }

  async watch(prefix: string, fromRevision: number, handlers: StoreWatchHandlers): Promise<StoreWatch> {
    const client = this.requireClient()
    let stopped = false
    const fail = (err: Error): void => {
      if (stopped) return
      stopped = true
      void stop()
      handlers.onError?.(err)
    }
    let watcher: Watcher
    try {
      watcher = await client
        .watch()
        .prefix(prefix)
        .startRevision(String(fromRevision + 1))
        .withPreviousKV()
        .create()
    } catch (err) {
      throw await this.watchFailure(err, fromRevision)
    }
    this.watchers.add(watcher)
    const stop = async (): Promise<void> => {
      this.watchers.delete(watcher)
      await watcher.cancel().catch(() => undefined)
    }
    watcher.on('data', (res) => {
      for (const ev of res.events) {
        if (stopped) return
        const out = toStoreEvent(ev.type, ev.kv, ev.prev_kv)
        if (out instanceof Error) return fail(out)
        try {
          handlers.onEvent(out)
        } catch (err) {
          return fail(err instanceof Error ? err : new Error(String(err)))
        }
      }
    })
    watcher.on('error', (err: unknown) => {
      void this.watchFailure(err, fromRevision).then(fail)
    })
    return {
      stop: () => {
        stopped = true
        void stop()
      },
    }
  }

  async currentRevision(): Promise<number> {
    // Any range answers with the store's header revision; count_only over one key is the cheapest.
    const res = await this.call('currentRevision', (c) => c.kv.range({ key: Buffer.from('/registry/'), count_only: true }))
    return Number(res.header.revision)
  }

  /** Compacts etcd's history up to rev (tests and maintenance; kube-apiserver does this periodically). */
  async compact(rev: number): Promise<void> {
    await this.call('compact', (c) => c.kv.compact({ revision: rev, physical: true }))
  }

  async close(): Promise<void> {
    const client = this.client
    this.client = undefined
    await Promise.all([...this.watchers].map((w) => w.cancel().catch(() => undefined)))
    this.watchers.clear()
    client?.close()
  }

  // etcd cancels a watch whose start revision was compacted, but the client library drops the
  // compact_revision and reason; a range read at that revision tells whether that was the cause.
  // upstream: staging/src/k8s.io/apiserver/pkg/storage/etcd3/watcher.go (wres.CompactRevision != 0)
  private async watchFailure(err: unknown, fromRevision: number): Promise<Error> {
    const msg = err instanceof Error ? err.message : String(err)
    if (/Watcher canceled/.test(msg) && this.client) {
      try {
        await this.client.kv.range({ key: Buffer.from('/registry/'), count_only: true, revision: fromRevision + 1 })
      } catch (probe) {
        // The compacted revision itself is not reported; fromRevision + 1 is known to be gone.
        if (/compacted/i.test(probe instanceof Error ? probe.message : String(probe))) return new ExpiredError(fromRevision, fromRevision + 1)
      }
    }
    return this.translate('watch', err, fromRevision)
  }

  private async current(key: string): Promise<Current | undefined> {
    const res = await this.call('get', (c) => c.kv.range({ key: Buffer.from(key) }))
    const kv = res.kvs[0]
    return kv ? { obj: decodeKv(kv), kv } : undefined
  }

  private requireClient(): Etcd3 {
    if (!this.client) throw new StoreUnavailableError('etcd store is not open: call open() before using it (or it was closed)')
    return this.client
  }

  private async call<T>(op: string, fn: (c: Etcd3) => Promise<T>): Promise<T> {
    const client = this.requireClient()
    try {
      return await fn(client)
    } catch (err) {
      throw this.translate(op, err)
    }
  }

  // etcd failures become store errors a person can act on; a compacted revision is Expired.
  private translate(op: string, err: unknown, fromRevision?: number): Error {
    const msg = err instanceof Error ? err.message : String(err)
    if (/compacted/i.test(msg)) return new ExpiredError(fromRevision ?? 0, (fromRevision ?? 0) + 1)
    if (err instanceof StoreUnavailableError || err instanceof ExpiredError) return err
    const detail = err instanceof EtcdError ? `${err.name}: ${msg}` : msg
    return new StoreUnavailableError(`etcd ${op} failed against ${this.opts.endpoints.join(',')}: ${detail}`, { cause: err })
  }
}

function currentFromFailure(res: ITxnResponse): Current | undefined {
  const range = res.responses[0]?.response_range as IRangeResponse | undefined
  const kv = range?.kvs[0]
  return kv ? { obj: decodeKv(kv), kv } : undefined
}

// upstream: staging/src/k8s.io/apiserver/pkg/storage/etcd3/event.go (parseEvent) and watcher.go
function toStoreEvent(type: string, kv: IKeyValue, prev: IKeyValue | undefined): StoreEvent | Error {
  const key = kv.key.toString('utf8')
  const rev = Number(kv.mod_revision)
  if (type === 'Delete') {
    if (!prev) return new StoreUnavailableError(`etcd delete event for ${key} at ${rev} carries no previous value (was it compacted?)`)
    const prevObject = decodeKv(prev)
    return { type: 'DELETED', key, object: restamp(prevObject, rev), prevObject, resourceVersion: rev }
  }
  const object = decodeKv(kv)
  if (kv.create_revision === kv.mod_revision) return { type: 'ADDED', key, object, resourceVersion: rev }
  return { type: 'MODIFIED', key, object, prevObject: prev ? decodeKv(prev) : undefined, resourceVersion: rev }
}
