// The ReplicaSet controller loop: keeps spec.replicas active pods per ReplicaSet, adopting matching
// orphans, and writes status. Deciding is in reconcile.ts.
// upstream: pkg/controller/replicaset/replica_set.go (syncReplicaSet, slowStartBatch)
import { StatusError } from '../../api/errors.js'
import { deepEqual } from '../../api/object.js'
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors.js'
import type { Pod, ReplicaSet } from '../../api/types.js'
import type { Informer } from '../../client/informer.js'
import { ensureIndex, newQueue, runQueue, type Controller, type ControllerContext } from '../context.js'
import { Expectations } from '../expectations.js'
import { resource } from '../informer-factory.js'
import { controllerRef, keyOf, newControllerRef, splitKey } from '../owner.js'
import { generateNamePrefix, isPodActive, isPodReady, podFromTemplate } from '../pod-util.js'
import { calculateReplicaSetStatus, computeReplicaSetDiff } from './reconcile.js'

const PODS = resource('pods')
const RS = resource('replicasets')

/** Index of pods by their controller's uid, shared by the workload controllers. */
export const BY_CONTROLLER = 'controllerUid'

/** Runs `fn` on `count` items in batches 1, 2, 4, … stopping at the first batch with a failure (upstream slowStartBatch). */
export async function slowStartBatch(count: number, fn: () => Promise<void>): Promise<{ ok: number; failed: number; err?: unknown }> {
  let ok = 0
  let batch = 1
  let remaining = count
  while (remaining > 0) {
    const n = Math.min(batch, remaining)
    const results = await Promise.allSettled(Array.from({ length: n }, fn))
    const fails = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]
    ok += n - fails.length
    remaining -= n
    if (fails.length > 0) return { ok, failed: fails.length + remaining, err: fails[0]!.reason }
    batch *= 2
  }
  return { ok, failed: 0 }
}

/** Keeps each ReplicaSet's pods at spec.replicas. */
export class ReplicaSetController implements Controller {
  readonly name = 'replicaset'
  private readonly queue
  private readonly expectations
  private readonly rsInformer: Informer<ReplicaSet>
  private readonly podInformer: Informer<Pod>

  constructor(private readonly ctx: ControllerContext) {
    this.queue = newQueue(ctx)
    this.expectations = new Expectations(ctx.clock)
    this.rsInformer = ctx.informers.informer<ReplicaSet>('replicasets')
    this.podInformer = ctx.informers.informer<Pod>('pods')
    ensureIndex(this.podInformer, BY_CONTROLLER, (p) => {
      const ref = controllerRef(p)
      return ref ? [ref.uid] : []
    })
    ensureIndex(this.podInformer, 'namespace', (p) => [p.metadata.namespace ?? ''])
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.queue.add(keyOf(rs)),
      onUpdate: (_o, rs) => this.queue.add(keyOf(rs)),
      onDelete: (rs) => {
        this.expectations.delete(keyOf(rs))
        this.queue.add(keyOf(rs))
      },
    })
    this.podInformer.addEventHandler({
      onAdd: (p) => {
        const owner = this.ownerKey(p)
        if (owner) {
          this.expectations.creationObserved(owner)
          this.queue.add(owner)
        } else this.enqueueMatching(p)
      },
      onUpdate: (o, p) => {
        const owner = this.ownerKey(p)
        if (p.metadata.deletionTimestamp && !o.metadata.deletionTimestamp && owner) this.expectations.deletionObserved(owner)
        const oldOwner = this.ownerKey(o)
        if (oldOwner && oldOwner !== owner) this.queue.add(oldOwner)
        if (owner) this.queue.add(owner)
        else this.enqueueMatching(p)
      },
      onDelete: (p) => {
        const owner = this.ownerKey(p)
        if (!owner) return
        if (!p.metadata.deletionTimestamp) this.expectations.deletionObserved(owner)
        this.queue.add(owner)
      },
    })
  }

  /** Works until the signal aborts. */
  run(signal: AbortSignal): Promise<void> {
    return runQueue(this.ctx, this.name, this.queue, (k) => this.sync(k), signal, 4)
  }

  private ownerKey(p: Pod): string | undefined {
    const ref = controllerRef(p)
    if (ref?.kind !== 'ReplicaSet') return undefined
    const rs = this.rsInformer.cache.get(p.metadata.namespace, ref.name)
    return rs && rs.metadata.uid === ref.uid ? keyOf(rs) : undefined
  }

  private enqueueMatching(p: Pod): void {
    if (!isPodActive(p)) return
    for (const rs of this.rsInformer.cache.list()) {
      if (rs.metadata.namespace !== p.metadata.namespace) continue
      if (matchesLabels(labelSelectorFromObject(rs.spec.selector), p.metadata.labels)) this.queue.add(keyOf(rs))
    }
  }

  /** One sync of a ReplicaSet key: adopt, create/delete, status. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key)
    const rs = this.rsInformer.cache.get(namespace, name)
    if (!rs) return this.expectations.delete(key)
    const selector = labelSelectorFromObject(rs.spec.selector)
    const owned = this.podInformer.byIndex(BY_CONTROLLER, rs.metadata.uid!)
    const orphans = rs.metadata.deletionTimestamp
      ? []
      : this.podInformer.byIndex('namespace', namespace).filter((p) => !controllerRef(p) && isPodActive(p) && matchesLabels(selector, p.metadata.labels))
    for (const p of orphans) await this.adopt(rs, p)
    const pods = [...owned, ...orphans]
    const active = pods.filter(isPodActive)
    const terminating = pods.filter((p) => p.metadata.deletionTimestamp).length
    if (this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp) {
      const diff = computeReplicaSetDiff(rs, active)
      if (diff.create > 0 || diff.remove.length > 0) {
        this.expectations.expect(key, diff.create, diff.remove.length)
        await this.manage(rs, key, diff.create, diff.remove)
      }
    }
    await this.writeStatus(rs, active, terminating)
    const min = rs.spec.minReadySeconds ?? 0
    // A ready pod becomes available minReadySeconds later: look again then (upstream AddAfter).
    if (min > 0 && active.some(isPodReady)) this.queue.addAfter(key, min * 1000)
  }

  private async adopt(rs: ReplicaSet, p: Pod): Promise<void> {
    const refs = [...(p.metadata.ownerReferences ?? []), newControllerRef(rs, 'apps/v1', 'ReplicaSet')]
    try {
      await this.ctx.client.patch(PODS, p.metadata.namespace, p.metadata.name!, { metadata: { ownerReferences: refs } }, 'application/merge-patch+json')
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err
    }
  }

  private async manage(rs: ReplicaSet, key: string, create: number, remove: Pod[]): Promise<void> {
    const ns = rs.metadata.namespace!
    if (create > 0) {
      const ref = newControllerRef(rs, 'apps/v1', 'ReplicaSet')
      const prefix = generateNamePrefix(rs)
      const res = await slowStartBatch(create, async () => {
        await this.ctx.client.create(PODS, podFromTemplate(rs.spec.template!, ns, prefix, ref))
      })
      // Pods never created will never be observed.
      for (let i = 0; i < res.failed; i++) this.expectations.creationObserved(key)
      if (res.err) throw res.err
    }
    if (remove.length > 0) {
      const results = await Promise.allSettled(remove.map((p) => this.ctx.client.delete(PODS, ns, p.metadata.name!)))
      let firstErr: unknown
      for (const r of results) {
        if (r.status === 'fulfilled') continue
        this.expectations.deletionObserved(key)
        if (!(r.reason instanceof StatusError && r.reason.code === 404)) firstErr ??= r.reason
      }
      if (firstErr) throw firstErr
    }
  }

  private async writeStatus(rs: ReplicaSet, active: Pod[], terminating: number): Promise<void> {
    const status = calculateReplicaSetStatus(rs, active, terminating, this.ctx.clock.now())
    if (rs.status?.conditions) status.conditions = rs.status.conditions
    if (deepEqual(status, rs.status)) return
    try {
      await this.ctx.client.updateStatus(RS, { ...rs, status })
    } catch (err) {
      // Gone meanwhile: nothing to report. A conflict is retried by the queue with a fresh object.
      if (!(err instanceof StatusError && err.code === 404)) throw err
    }
  }
}
