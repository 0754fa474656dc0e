// DELETE: preconditions, graceful Pod deletion, finalizers, propagation to dependents and namespace
// content. Garbage collection is synchronous through the store at this stage: Background deletes the
// owner then its dependents, Foreground the dependents then the owner, Orphan strips the owner
// references. A real GC controller (graph + workqueue) replaces this later.
// upstream: staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go (BeforeDelete),
//           pkg/registry/core/pod/strategy.go (CheckGracefulDelete)
import type { KubeObject } from '../../api/meta.js'
import { RESOURCES, type ResourceInfo } from '../../api/registry.js'
import { StatusError, badRequest, conflict } from '../../api/errors.js'
import { ConflictError, KeyNotFoundError } from '../../storage/errors.js'
import { storageToStatus } from '../errors.js'
import type { ResourceRest } from './rest.js'
import { clone, rfc3339, withTypeMeta } from './strategy.js'

/** DeleteOptions as kubectl sends them (body or query). */
export interface DeleteOptions {
  gracePeriodSeconds?: number
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan'
  preconditions?: { uid?: string; resourceVersion?: string }
  orphanDependents?: boolean
  dryRun?: boolean
}

/** Namespaces that may never be deleted (upstream NamespaceLifecycle's immortal namespaces). */
export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public']

/** Reads DeleteOptions from a JSON body merged with query parameters; malformed values are a 400. */
export function parseDeleteOptions(body: unknown, query: Record<string, unknown>): DeleteOptions {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const out: DeleteOptions = {}
  const grace = b.gracePeriodSeconds ?? query.gracePeriodSeconds
  if (grace !== undefined && grace !== null && grace !== '') {
    const n = Number(grace)
    if (!Number.isInteger(n)) throw badRequest(`gracePeriodSeconds: "${String(grace)}" is not an integer number of seconds`)
    out.gracePeriodSeconds = n
  }
  const policy = b.propagationPolicy ?? query.propagationPolicy
  if (policy !== undefined && policy !== null && policy !== '') {
    if (policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan') {
      throw badRequest(`propagationPolicy: unsupported value "${String(policy)}"; use Foreground, Background or Orphan`)
    }
    out.propagationPolicy = policy
  }
  if (b.preconditions && typeof b.preconditions === 'object') out.preconditions = b.preconditions as DeleteOptions['preconditions']
  if (b.orphanDependents !== undefined || query.orphanDependents !== undefined) out.orphanDependents = String(b.orphanDependents ?? query.orphanDependents) === 'true'
  const dry = b.dryRun ?? query.dryRun
  out.dryRun = Array.isArray(dry) ? dry.includes('All') : dry === 'All'
  return out
}

/** Deletes one object; returns what the client sees (the deleted object, or the object now marked for deletion). */
export async function deleteObject(rest: ResourceRest, ns: string | undefined, name: string, opts: DeleteOptions): Promise<KubeObject> {
  const r = rest.resource
  if (r.kind === 'Namespace' && IMMORTAL_NAMESPACES.includes(name)) {
    throw new StatusError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' })
  }
  for (let attempt = 0; ; attempt++) {
    const cur = clone(await rest.get(ns, name))
    const m = cur.metadata
    if (opts.preconditions?.uid && opts.preconditions.uid !== m.uid) {
      throw conflict(r, name, `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${m.uid}`)
    }
    if (opts.preconditions?.resourceVersion && opts.preconditions.resourceVersion !== m.resourceVersion) {
      throw conflict(r, name, `Precondition failed: ResourceVersion in precondition: ${opts.preconditions.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`)
    }
    const policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : 'Background')
    const grace = gracePeriod(r, cur, opts)
    const hasFinalizers = (m.finalizers?.length ?? 0) > 0
    try {
      if (grace > 0 || hasFinalizers) {
        // Graceful: mark it; the kubelet (pods) or the finalizer owners finish the deletion.
        if (m.deletionTimestamp && (m.deletionGracePeriodSeconds ?? 0) <= grace) return cur
        m.deletionTimestamp = rfc3339(rest.deps.clock.now() + grace * 1000)
        m.deletionGracePeriodSeconds = grace
        m.generation = (m.generation ?? 1) + 1
        if (opts.dryRun) return cur
        const rv = Number(m.resourceVersion)
        delete m.resourceVersion
        return withTypeMeta(r, await rest.deps.store.update(rest.key(ns, name), cur, { resourceVersion: rv }))
      }
      if (opts.dryRun) return cur
      if (policy === 'Foreground') await deleteDependents(rest, cur, 'Foreground')
      if (policy === 'Orphan') await orphanDependents(rest, cur)
      if (r.kind === 'Namespace') await deleteNamespaceContent(rest, name)
      const gone = await rest.deps.store.delete(rest.key(ns, name), { resourceVersion: Number(m.resourceVersion) })
      if (r.kind === 'Service') rest.deps.admission.allocation.release(gone)
      if (policy === 'Background') await deleteDependents(rest, gone, 'Background')
      return withTypeMeta(r, gone)
    } catch (err) {
      // A concurrent write between our read and the delete: read again (the preconditions still apply).
      if (err instanceof ConflictError && attempt < 5) continue
      throw storageToStatus(err, r, name)
    }
  }
}

// upstream: pkg/registry/core/pod/strategy.go (CheckGracefulDelete): unscheduled or finished pods go at once.
function gracePeriod(r: ResourceInfo, obj: KubeObject, opts: DeleteOptions): number {
  if (r.kind !== 'Pod') return 0
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number }
  const phase = (obj.status as { phase?: string } | undefined)?.phase
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0
  const g = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30
  return Math.max(0, g)
}

/** Every object owned by owner (same namespace for namespaced owners), with the REST storage it lives in. */
async function dependentsOf(rest: ResourceRest, owner: KubeObject): Promise<{ rest: ResourceRest; obj: KubeObject }[]> {
  const uid = owner.metadata.uid
  const ownerNs = rest.resource.namespaced ? owner.metadata.namespace : undefined
  const out: { rest: ResourceRest; obj: KubeObject }[] = []
  for (const rr of RESOURCES) {
    if (rest.resource.namespaced && !rr.namespaced) continue
    const other = rest.deps.restFor(rr)
    const page = await rest.deps.store.list(other.prefix(rr.namespaced ? ownerNs : undefined))
    for (const obj of page.items) if (obj.metadata.ownerReferences?.some((o) => o.uid === uid)) out.push({ rest: other, obj })
  }
  return out
}

async function deleteDependents(rest: ResourceRest, owner: KubeObject, policy: 'Foreground' | 'Background'): Promise<void> {
  for (const d of await dependentsOf(rest, owner)) {
    try {
      await deleteObject(d.rest, d.obj.metadata.namespace, d.obj.metadata.name!, { propagationPolicy: policy })
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) continue
      if (err instanceof KeyNotFoundError) continue
      // Background: the owner is already gone, so the request succeeded; a dependent that keeps
      // changing under us (a kubelet writing status) is left to the garbage-collector controller,
      // which deletes objects whose owners no longer exist (upstream does all of this asynchronously).
      if (policy === 'Background') {
        rest.deps.logger.warn({ err, dependent: `${d.rest.resource.plural}/${d.obj.metadata.name}` }, 'background deletion of a dependent failed; the garbage collector will finish it')
        continue
      }
      throw err
    }
  }
}

async function orphanDependents(rest: ResourceRest, owner: KubeObject): Promise<void> {
  const uid = owner.metadata.uid
  for (const d of await dependentsOf(rest, owner)) {
    await d.rest.guaranteedUpdate(d.obj.metadata.namespace, d.obj.metadata.name!, { warnings: [] }, 'raw', (cur) => {
      const refs = (cur.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid)
      if (refs.length > 0) cur.metadata.ownerReferences = refs
      else delete cur.metadata.ownerReferences
      return cur
    })
  }
}

// The namespace controller's job, done synchronously: every namespaced object in it goes first.
async function deleteNamespaceContent(rest: ResourceRest, ns: string): Promise<void> {
  for (const rr of RESOURCES) {
    if (!rr.namespaced) continue
    const other = rest.deps.restFor(rr)
    const page = await rest.deps.store.list(other.prefix(ns))
    for (const obj of page.items) {
      try {
        await deleteObject(other, ns, obj.metadata.name!, { gracePeriodSeconds: 0, propagationPolicy: 'Background' })
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err
      }
    }
  }
}
