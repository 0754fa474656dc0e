// Garbage collection by ownerReferences: dependents whose owners are all gone are deleted (those with
// some owners left lose the dangling references); owners being deleted with the `foregroundDeletion`
// finalizer have their dependents deleted first, with `orphan` their dependents released first.
// The API server already cascades deletes it serves synchronously; this controller catches what that
// misses (dependents created after their owner went, finalizers set by other clients).
// upstream: pkg/controller/garbagecollector/garbagecollector.go (attemptToDeleteItem, processDeletingDependentsItem,
//           attemptToOrphanWorker)
import { StatusError } from '../../api/errors.js'
import type { KubeObject, OwnerReference } from '../../api/meta.js'
import { resourceForKind } from '../../api/registry.js'
import type { Informer } from '../../client/informer.js'
import { ensureIndex, newQueue, runQueue, type Controller, type ControllerContext } from '../context.js'
import { resource } from '../informer-factory.js'

/** Resources whose objects may carry ownerReferences (dependents). */
export const DEPENDENT_RESOURCES = ['pods', 'replicasets', 'endpointslices']
/** Resources whose objects may own others. */
export const OWNER_RESOURCES = ['deployments', 'replicasets', 'daemonsets', 'services', 'nodes']

/** upstream finalizer names. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion'
/** upstream finalizer name for orphaning. */
export const ORPHAN_FINALIZER = 'orphan'

/** Which of an object's owner references point at owners that no longer exist, given a lookup. */
export function danglingRefs(obj: KubeObject, exists: (ref: OwnerReference) => boolean): OwnerReference[] {
  return (obj.metadata.ownerReferences ?? []).filter((r) => !exists(r))
}

/** Deletes orphaned dependents and honours foreground/orphan finalizers. */
export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector'
  private readonly queue
  private readonly dependents = new Map<string, Informer<KubeObject>>()
  private readonly owners = new Map<string, Informer<KubeObject>>()

  constructor(private readonly ctx: ControllerContext) {
    this.queue = newQueue(ctx)
    for (const plural of DEPENDENT_RESOURCES) {
      const inf = ctx.informers.informer<KubeObject>(plural)
      this.dependents.set(plural, inf)
      ensureIndex(inf, 'ownerUid', (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid))
      const check = (o: KubeObject): void => {
        if ((o.metadata.ownerReferences?.length ?? 0) > 0) this.queue.add(`dep|${plural}|${o.metadata.namespace ?? ''}|${o.metadata.name}`)
      }
      inf.addEventHandler({ onAdd: check, onUpdate: (_o, n) => check(n) })
    }
    for (const plural of OWNER_RESOURCES) {
      const inf = ctx.informers.informer<KubeObject>(plural)
      this.owners.set(plural, inf)
      const key = (o: KubeObject): string => `own|${plural}|${o.metadata.namespace ?? ''}|${o.metadata.name}|${o.metadata.uid}`
      inf.addEventHandler({
        onUpdate: (_o, n) => {
          if (n.metadata.deletionTimestamp && n.metadata.finalizers?.some((f) => f === FOREGROUND_FINALIZER || f === ORPHAN_FINALIZER)) this.queue.add(key(n))
        },
        onDelete: (o) => this.queue.add(key(o)),
      })
    }
  }

  /** Works until the signal aborts. */
  run(signal: AbortSignal): Promise<void> {
    return runQueue(this.ctx, this.name, this.queue, (k) => this.sync(k), signal, 2)
  }

  /** One item: `dep|plural|ns|name` (check its owners) or `own|plural|ns|name|uid` (an owner changed or left). */
  async sync(key: string): Promise<void> {
    const [kind, plural, ns, name, uid] = key.split('|') as [string, string, string, string, string?]
    if (kind === 'dep') return this.syncDependent(plural, ns, name)
    return this.syncOwner(plural, ns, name, uid!)
  }

  private dependentsOf(uid: string): { plural: string; obj: KubeObject }[] {
    const out: { plural: string; obj: KubeObject }[] = []
    for (const [plural, inf] of this.dependents) for (const obj of inf.byIndex('ownerUid', uid)) out.push({ plural, obj })
    return out
  }

  private async syncOwner(plural: string, ns: string, name: string, uid: string): Promise<void> {
    const owner = this.owners.get(plural)!.cache.get(ns || undefined, name)
    const deps = this.dependentsOf(uid)
    if (!owner || owner.metadata.uid !== uid) {
      // Gone: every dependent is re-checked (it may have other owners left).
      for (const d of deps) this.queue.add(`dep|${d.plural}|${d.obj.metadata.namespace ?? ''}|${d.obj.metadata.name}`)
      return
    }
    const fin = owner.metadata.finalizers ?? []
    const { client } = this.ctx
    if (fin.includes(ORPHAN_FINALIZER)) {
      for (const d of deps) {
        const refs = (d.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid)
        await this.ignoreGone(client.patch(resource(d.plural), d.obj.metadata.namespace, d.obj.metadata.name!, { metadata: { ownerReferences: refs.length ? refs : null } }, 'application/merge-patch+json'))
      }
      return this.removeFinalizer(plural, owner, ORPHAN_FINALIZER)
    }
    if (fin.includes(FOREGROUND_FINALIZER)) {
      const blocking = deps.filter((d) => d.obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion))
      for (const d of blocking) {
        if (!d.obj.metadata.deletionTimestamp) await this.ignoreGone(client.delete(resource(d.plural), d.obj.metadata.namespace, d.obj.metadata.name!, { propagationPolicy: 'Foreground' }))
      }
      // The owner goes only when no blocking dependent is left; their delete events bring us back.
      if (blocking.length === 0) await this.removeFinalizer(plural, owner, FOREGROUND_FINALIZER)
    }
  }

  private async removeFinalizer(plural: string, owner: KubeObject, f: string): Promise<void> {
    const rest = (owner.metadata.finalizers ?? []).filter((x) => x !== f)
    await this.ignoreGone(this.ctx.client.patch(resource(plural), owner.metadata.namespace, owner.metadata.name!, { metadata: { finalizers: rest.length ? rest : null } }, 'application/merge-patch+json'))
  }

  private async ownerExists(ref: OwnerReference, ns: string): Promise<boolean> {
    const r = resourceForKind(ref.apiVersion, ref.kind)
    if (!r) return true // a kind we do not serve: never collect on a guess
    const cached = this.owners.get(r.plural)?.cache.get(r.namespaced ? ns : undefined, ref.name)
    if (cached?.metadata.uid === ref.uid) return true
    // The cache may lag a fresh owner: ask the API server before deleting anything (upstream does too).
    try {
      const live = await this.ctx.client.get(r, r.namespaced ? ns : undefined, ref.name)
      return live.metadata.uid === ref.uid
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return false
      throw err
    }
  }

  private async syncDependent(plural: string, ns: string, name: string): Promise<void> {
    const obj = this.dependents.get(plural)!.cache.get(ns || undefined, name)
    if (!obj || obj.metadata.deletionTimestamp) return
    const refs = obj.metadata.ownerReferences ?? []
    if (refs.length === 0) return
    const present = new Set<string>()
    for (const ref of refs) if (await this.ownerExists(ref, ns)) present.add(ref.uid)
    const dangling = danglingRefs(obj, (r) => present.has(r.uid))
    if (dangling.length === 0) return
    const r = resource(plural)
    if (dangling.length === refs.length) {
      this.ctx.logger.info({ resource: plural, object: `${ns}/${name}` }, 'deleting object whose owners are gone')
      await this.ignoreGone(this.ctx.client.delete(r, ns || undefined, name, { propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid } }))
      return
    }
    const keep = refs.filter((x) => present.has(x.uid))
    await this.ignoreGone(this.ctx.client.patch(r, ns || undefined, name, { metadata: { ownerReferences: keep } }, 'application/merge-patch+json'))
  }

  private async ignoreGone(p: Promise<unknown>): Promise<void> {
    try {
      await p
    } catch (err) {
      if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err
    }
  }
}
