import type { KubeObject } from '../api/meta.js'

/** A change seen by a watch; `resourceVersion` is the store revision of the change. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  key: string
  /** The object after the change (for DELETED: the last state, with the deletion's resourceVersion). */
  object: KubeObject
  /** The object before the change (MODIFIED and DELETED), so selector watches can emit DELETED when an object stops matching. */
  prevObject?: KubeObject
  resourceVersion: number
}

/** Options of a list. */
export interface StoreListOptions {
  /** Return at most this many items (in key order). */
  limit?: number
  /** Start strictly after this key (pagination). */
  afterKey?: string
}

/** A consistent list: the items as of `resourceVersion`. */
export interface StoreListResult {
  items: KubeObject[]
  resourceVersion: number
  /** True when `limit` cut the list short; continue after the last item's key. */
  hasMore: boolean
  /** Keys of the items, same order (for continue tokens). */
  keys: string[]
}

/** Preconditions of an update or delete; a mismatch is a ConflictError. */
export interface Preconditions {
  resourceVersion?: number
  uid?: string
}

/** A running watch; stop() ends it and releases its resources. */
export interface StoreWatch {
  stop(): void
}

/** Callbacks of a watch. onError receives ExpiredError when the start revision was compacted away. */
export interface StoreWatchHandlers {
  onEvent(ev: StoreEvent): void
  onError?(err: Error): void
}

/**
 * The storage contract the API server runs on (embedded log store or etcd).
 * One global, monotonically increasing revision numbers every write; objects come back with
 * `metadata.resourceVersion` set to the revision of their last write. Objects handed out (results,
 * list items, watch events) may be frozen and shared between readers: clone before modifying.
 */
export interface Store {
  /** Opens the store (recovers the log, connects to etcd). */
  open(): Promise<void>
  get(key: string): Promise<KubeObject | undefined>
  list(prefix: string, opts?: StoreListOptions): Promise<StoreListResult>
  /** Fails with KeyExistsError when the key is present. */
  create(key: string, obj: KubeObject): Promise<KubeObject>
  /**
   * Fails with KeyNotFoundError, or ConflictError when a precondition does not hold. An update that
   * changes nothing but resourceVersion writes nothing and returns the stored object (as upstream).
   */
  update(key: string, obj: KubeObject, pre?: Preconditions): Promise<KubeObject>
  /** Returns the deleted object stamped with the deletion revision. */
  delete(key: string, pre?: Preconditions): Promise<KubeObject>
  /**
   * Delivers every change under prefix with revision > fromRevision, in order.
   * fromRevision older than the kept history fails with ExpiredError (through onError, or thrown).
   */
  watch(prefix: string, fromRevision: number, handlers: StoreWatchHandlers): Promise<StoreWatch>
  /** The revision of the latest write. */
  currentRevision(): Promise<number>
  close(): Promise<void>
}
