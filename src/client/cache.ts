// The informer's local store: objects keyed as upstream keys them, plus named secondary indexes.
import type { KubeObject } from '../api/meta.js'

/** Computes the index values of an object (e.g. its node name); [] leaves it out of the index. */
export type IndexFunc<T extends KubeObject> = (obj: T) => string[]

/**
 * The store key of an object: `namespace/name`, or `name` for cluster-scoped objects.
 * upstream: client-go/tools/cache/store.go (MetaNamespaceKeyFunc)
 */
export function objectKey(obj: Pick<KubeObject, 'metadata'>): string {
  const ns = obj.metadata?.namespace
  const name = obj.metadata?.name ?? ''
  return ns ? `${ns}/${name}` : name
}

/** The index function upstream registers most often: by metadata.namespace. */
export const namespaceIndexFunc = <T extends KubeObject>(obj: T): string[] => (obj.metadata?.namespace ? [obj.metadata.namespace] : [])

/**
 * A thread-free version of client-go's ThreadSafeStore + Indexer: a map of objects by key and,
 * for each named index, a map from index value to the set of keys holding it.
 * upstream: client-go/tools/cache/thread_safe_store.go
 */
export class Cache<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>()
  private readonly indexers = new Map<string, IndexFunc<T>>()
  private readonly indices = new Map<string, Map<string, Set<string>>>()

  /** Adds a named index; existing objects are indexed at once. Adding a name twice is an error. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`)
    this.indexers.set(name, fn)
    const index = new Map<string, Set<string>>()
    this.indices.set(name, index)
    for (const [key, obj] of this.items) addToIndex(index, fn(obj), key)
  }

  /** Stores or replaces an object; returns the object it replaced, if any. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj)
    const old = this.items.get(key)
    if (old) this.unindex(key, old)
    this.items.set(key, obj)
    for (const [name, fn] of this.indexers) addToIndex(this.indices.get(name)!, fn(obj), key)
    return old
  }

  /** Removes the object with obj's key; returns what was stored, if any. */
  remove(obj: Pick<KubeObject, 'metadata'>): T | undefined {
    return this.removeKey(objectKey(obj))
  }

  /** Removes by key; returns what was stored, if any. */
  removeKey(key: string): T | undefined {
    const old = this.items.get(key)
    if (!old) return undefined
    this.unindex(key, old)
    this.items.delete(key)
    return old
  }

  /** The object stored under `namespace/name` (or `name`). */
  getByKey(key: string): T | undefined {
    return this.items.get(key)
  }

  /** The object for a namespace and name (namespace '' or undefined for cluster-scoped objects). */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name)
  }

  /** Every stored object, in insertion order. */
  list(): T[] {
    return [...this.items.values()]
  }

  /** Every key. */
  keys(): string[] {
    return [...this.items.keys()]
  }

  /** Number of stored objects. */
  get size(): number {
    return this.items.size
  }

  /** The objects whose index `name` holds `value` (`byIndex('nodeName', 'node-1')`). */
  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name)
    if (!index) throw new Error(`indexer "${name}" does not exist: call addIndexer("${name}", fn) first`)
    return [...(index.get(value) ?? [])].map((k) => this.items.get(k)!)
  }

  /** The values present in index `name`. */
  indexValues(name: string): string[] {
    const index = this.indices.get(name)
    if (!index) throw new Error(`indexer "${name}" does not exist: call addIndexer("${name}", fn) first`)
    return [...index.keys()]
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!
      for (const v of fn(obj)) {
        const set = index.get(v)
        if (!set) continue
        set.delete(key)
        if (set.size === 0) index.delete(v)
      }
    }
  }
}

function addToIndex(index: Map<string, Set<string>>, values: string[], key: string): void {
  for (const v of values) {
    let set = index.get(v)
    if (!set) index.set(v, (set = new Set()))
    set.add(key)
  }
}
