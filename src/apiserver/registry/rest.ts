// The generic REST storage of one resource on top of a Store: get, list, create, update, patch
// (with a retry-on-conflict loop), the status subresource and the entry points of delete.
// upstream: staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
import { randomInt, randomUUID } from 'node:crypto'
import type { KubeObject } from '../../api/meta.js'
import type { ResourceInfo } from '../../api/registry.js'
import { StatusError, badRequest, conflict, field, invalid, notFound } from '../../api/errors.js'
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../../api/selectors.js'
import { schemaFor } from '../../api/schema.js'
import '../../api/schemas/index.js'
import type { Clock } from '../../base/clock.js'
import type { Logger } from '../../base/logger.js'
import type { Store } from '../../storage/store.js'
import { ConflictError, ExpiredError } from '../../storage/errors.js'
import { keyFor, prefixFor } from '../../storage/keys.js'
import type { Admission } from '../admission/chain.js'
import { applyPatch } from '../patch/index.js'
import { storageToStatus } from '../errors.js'
import { decodeContinue, encodeContinue } from './continue.js'
import { decodeObject, type WriteOptions } from './decode.js'
import { clone, prepareForCreate, prepareForUpdate, rfc3339, statusUpdate, unchanged, withTypeMeta } from './strategy.js'

/** Everything a resource's REST storage needs from the server. */
export interface RestDeps {
  store: Store
  clock: Clock
  admission: Admission
  logger: Logger
  /** The REST storage of another resource (garbage collection, namespace deletion). */
  restFor(r: ResourceInfo): ResourceRest
}

/** Options of a list. */
export interface ListOptions {
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  continue?: string
}

/** A list page: items as of resourceVersion, and a continue token when more remain. */
export interface ListPage {
  items: KubeObject[]
  resourceVersion: number
  continue?: string
}

/** A compiled label + field selector. */
export interface ObjectFilter {
  (obj: KubeObject): boolean
}

/** Which part of the object an update writes. */
export type UpdateTarget = 'main' | 'status'

const GUARANTEED_UPDATE_ATTEMPTS = 10
// upstream: staging/src/k8s.io/apiserver/pkg/storage/names/generate.go (alphanums without vowels and look-alikes)
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** Compiles label and field selectors (400 on a malformed one). */
export function compileFilter(r: ResourceInfo, labelSelector?: string, fieldSelector?: string): ObjectFilter | undefined {
  if (!labelSelector && !fieldSelector) return undefined
  try {
    const ls = labelSelector ? parseLabelSelector(labelSelector) : undefined
    const fs = fieldSelector ? parseFieldSelector(fieldSelector) : undefined
    return (obj) => (!ls || matchesLabels(ls, obj.metadata.labels ?? {})) && (!fs || matchesFields(fs, r, obj))
  } catch (err) {
    if (err instanceof StatusError) throw err
    throw badRequest(`unable to parse selector: ${(err as Error).message}`)
  }
}

/** REST storage of one resource. */
export class ResourceRest {
  constructor(
    readonly resource: ResourceInfo,
    readonly deps: RestDeps,
  ) {}

  /** The store key of an object. */
  key(ns: string | undefined, name: string): string {
    return keyFor(this.resource, ns, name)
  }

  /** The watch/list prefix of a namespace (or all namespaces). */
  prefix(ns: string | undefined): string {
    return prefixFor(this.resource, ns)
  }

  /** GET one object; 404 Status when absent. */
  async get(ns: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.deps.store.get(this.key(ns, name))
    if (!obj) throw notFound(this.resource, name)
    return withTypeMeta(this.resource, obj)
  }

  /** List with selectors and pagination; selectors filter before the limit counts. */
  async list(ns: string | undefined, opts: ListOptions = {}): Promise<ListPage> {
    const filter = compileFilter(this.resource, opts.labelSelector, opts.fieldSelector)
    const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined
    let afterKey: string | undefined
    let rv: number | undefined
    if (opts.continue) {
      const tok = decodeContinue(opts.continue)
      await this.checkNotExpired(ns, tok.rv)
      afterKey = tok.start
      rv = tok.rv
    }
    const items: KubeObject[] = []
    const keys: string[] = []
    for (;;) {
      const page = await this.deps.store.list(this.prefix(ns), { limit, afterKey })
      rv ??= page.resourceVersion
      page.items.forEach((it, i) => {
        if (filter && !filter(it)) return
        items.push(withTypeMeta(this.resource, it))
        keys.push(page.keys[i]!)
      })
      const enough = limit !== undefined && items.length >= limit
      if (!page.hasMore || page.keys.length === 0 || enough) {
        const more = page.hasMore || (limit !== undefined && items.length > limit)
        if (limit !== undefined && items.length > limit) {
          items.length = limit
          keys.length = limit
        }
        const out: ListPage = { items, resourceVersion: rv }
        if (more && limit !== undefined && keys.length > 0) out.continue = encodeContinue({ rv, start: keys[keys.length - 1]! })
        return out
      }
      afterKey = page.keys[page.keys.length - 1]
    }
  }

  /** POST: creates the object in namespace ns (201 by the route); dry run admits but does not write. */
  async create(ns: string | undefined, body: unknown, opts: WriteOptions): Promise<KubeObject> {
    const r = this.resource
    const obj = decodeObject(r, body, opts)
    const m = obj.metadata
    if (r.namespaced) {
      if (m.namespace && ns && m.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
      }
      m.namespace = ns ?? m.namespace
      if (!m.namespace) throw badRequest(`${r.kind} is namespaced: create it under /namespaces/{namespace}/ or set metadata.namespace`)
    } else {
      delete m.namespace
    }
    if (!m.name) {
      if (!m.generateName) throw invalid(r, '', [field.required('metadata.name', 'name or generateName is required')])
      m.name = m.generateName + Array.from({ length: 5 }, () => NAME_ALPHABET[randomInt(NAME_ALPHABET.length)]).join('')
    }
    checkPathSegmentName(r, m.name)
    m.uid = randomUUID()
    m.creationTimestamp = rfc3339(this.deps.clock.now())
    prepareForCreate(r, obj)
    const txn = await this.deps.admission.admit('CREATE', r, obj)
    if (opts.dryRun) {
      txn.rollback()
      return obj
    }
    try {
      const created = await this.deps.store.create(this.key(m.namespace, m.name), obj)
      txn.commit()
      return withTypeMeta(r, created)
    } catch (err) {
      txn.rollback()
      throw storageToStatus(err, r, m.name)
    }
  }

  /** PUT: replaces the object; a stale metadata.resourceVersion is a 409 Conflict. */
  async update(ns: string | undefined, name: string, body: unknown, opts: WriteOptions, target: UpdateTarget = 'main'): Promise<KubeObject> {
    const next = decodeObject(this.resource, body, opts)
    if (next.metadata.name !== undefined && next.metadata.name !== name) {
      throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`)
    }
    if (this.resource.namespaced && next.metadata.namespace && ns && next.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    }
    return this.guaranteedUpdate(ns, name, opts, target, () => clone(next))
  }

  /**
   * PATCH with any supported patch type; retried on conflict unless the patch pins a resourceVersion.
   * `created` is true when a server-side apply created the object (the route answers 201 then).
   */
  async patch(ns: string | undefined, name: string, contentType: string, patchBody: unknown, opts: WriteOptions, target: UpdateTarget = 'main'): Promise<{ object: KubeObject; created: boolean }> {
    const r = this.resource
    try {
      const object = await this.guaranteedUpdate(ns, name, opts, target, (cur) => {
        const curRV = cur.metadata.resourceVersion
        const patched = decodeObject(r, applyPatch(contentType, cur, patchBody, schemaFor(r)), opts)
        // The RV inherited from the current object is no precondition; only one the patch sets is.
        if (patched.metadata.resourceVersion === curRV && !patchPinsResourceVersion(patchBody)) delete patched.metadata.resourceVersion
        return patched
      })
      return { object, created: false }
    } catch (err) {
      // Server-side apply creates what does not exist yet (upstream: patch.go applyPatcher).
      if (target === 'main' && contentType.startsWith('application/apply-patch') && err instanceof StatusError && err.code === 404 && err.details?.name === name) {
        const body = { ...(patchBody as KubeObject), metadata: { ...((patchBody as KubeObject)?.metadata ?? {}), name } }
        return { object: await this.create(ns, body, opts), created: true }
      }
      throw err
    }
  }

  /**
   * Read-modify-write until the write lands: tryUpdate gets a modifiable copy of the current object
   * and returns the desired one. A resourceVersion set by the caller is a precondition (no retry);
   * without one, a concurrent write makes it re-read and try again.
   * upstream: staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go (GuaranteedUpdate)
   */
  async guaranteedUpdate(
    ns: string | undefined,
    name: string,
    opts: WriteOptions,
    target: UpdateTarget | 'raw',
    tryUpdate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
  ): Promise<KubeObject> {
    const r = this.resource
    const key = this.key(ns, name)
    for (let attempt = 1; ; attempt++) {
      const stored = await this.deps.store.get(key)
      if (!stored) throw notFound(r, name)
      const current = withTypeMeta(r, clone(stored))
      const curRV = current.metadata.resourceVersion
      let next = await tryUpdate(clone(current))
      const pinned = next.metadata.resourceVersion !== undefined && next.metadata.resourceVersion !== ''
      if (pinned && next.metadata.resourceVersion !== curRV) throw conflict(r, name)
      if (target === 'status') next = statusUpdate(next, current)
      else if (target === 'main') prepareForUpdate(r, next, current)
      next.metadata.name = name
      if (r.namespaced) next.metadata.namespace = current.metadata.namespace
      const txn = target === 'raw' ? undefined : await this.deps.admission.admit('UPDATE', r, next, current)
      if (unchanged(next, current) || opts.dryRun) {
        txn?.rollback()
        return opts.dryRun ? next : current
      }
      delete next.metadata.resourceVersion
      try {
        const written = await this.deps.store.update(key, next, { resourceVersion: Number(curRV) })
        txn?.commit()
        await this.afterUpdate(written)
        return withTypeMeta(r, written)
      } catch (err) {
        txn?.rollback()
        if (err instanceof ConflictError && !pinned && attempt < GUARANTEED_UPDATE_ATTEMPTS) continue
        throw storageToStatus(err, r, name)
      }
    }
  }

  /** An object marked for deletion whose last finalizer went away is removed now (pods wait for their kubelet). */
  private async afterUpdate(obj: KubeObject): Promise<void> {
    const m = obj.metadata
    if (!m.deletionTimestamp || (m.finalizers?.length ?? 0) > 0 || this.resource.kind === 'Pod') return
    try {
      await this.deps.store.delete(this.key(m.namespace, m.name!), { resourceVersion: Number(m.resourceVersion) })
    } catch (err) {
      // Someone else changed or removed it first; whoever wins finishes the deletion.
      this.deps.logger.debug({ err, name: m.name }, 'finalizer-free delete skipped')
    }
  }

  /** Fails with 410 Expired when revision rv is older than the store's history (expired continue token). */
  private async checkNotExpired(ns: string | undefined, rv: number): Promise<void> {
    let failed: Error | undefined
    try {
      const w = await this.deps.store.watch(this.prefix(ns), rv, { onEvent: () => undefined, onError: (e) => (failed = e) })
      w.stop()
    } catch (err) {
      failed = err as Error
    }
    if (failed instanceof ExpiredError) {
      throw new StatusError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.')
    }
    if (failed) throw failed
  }
}

// upstream: staging/src/k8s.io/apimachinery/pkg/api/validation/path/name.go (IsValidPathSegmentName)
function checkPathSegmentName(r: ResourceInfo, name: string): void {
  let why: string | undefined
  if (name === '.' || name === '..') why = `may not be '${name}'`
  else if (name.includes('/')) why = "may not contain '/'"
  else if (name.includes('%')) why = "may not contain '%'"
  if (why) throw invalid(r, name, [field.invalid('metadata.name', name, why)])
}

/** True when a patch sets metadata.resourceVersion itself (then it is a precondition, as upstream). */
function patchPinsResourceVersion(patch: unknown): boolean {
  if (Array.isArray(patch)) return patch.some((op) => (op as { path?: string })?.path === '/metadata/resourceVersion')
  const m = (patch as { metadata?: { resourceVersion?: unknown } } | null)?.metadata
  return typeof m?.resourceVersion === 'string' && m.resourceVersion !== ''
}
