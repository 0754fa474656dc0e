// The Deployment controller loop: owns ReplicaSets per pod template, rolls between them under
// maxSurge/maxUnavailable, records revisions and writes status. Deciding is in reconcile.ts.
// upstream: pkg/controller/deployment/deployment_controller.go (syncDeployment)
import { StatusError } from '../../api/errors.js'
import { deepEqual } from '../../api/object.js'
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors.js'
import type { Deployment, ReplicaSet } from '../../api/types.js'
import type { Informer } from '../../client/informer.js'
import { ensureIndex, newQueue, runQueue, type Controller, type ControllerContext } from '../context.js'
import { resource } from '../informer-factory.js'
import { controllerRef, keyOf, newControllerRef, splitKey } from '../owner.js'
import { REVISION_ANNOTATION } from './hash.js'
import { planDeployment } from './reconcile.js'

const RS = resource('replicasets')
const DEPLOYMENTS = resource('deployments')

/** Turns Deployments into ReplicaSets. */
export class DeploymentController implements Controller {
  readonly name = 'deployment'
  private readonly queue
  private readonly dInformer: Informer<Deployment>
  private readonly rsInformer: Informer<ReplicaSet>

  constructor(private readonly ctx: ControllerContext) {
    this.queue = newQueue(ctx)
    this.dInformer = ctx.informers.informer<Deployment>('deployments')
    this.rsInformer = ctx.informers.informer<ReplicaSet>('replicasets')
    ensureIndex(this.rsInformer, 'controllerUid', (rs) => {
      const ref = controllerRef(rs)
      return ref ? [ref.uid] : []
    })
    this.dInformer.addEventHandler({
      onAdd: (d) => this.queue.add(keyOf(d)),
      onUpdate: (_o, d) => this.queue.add(keyOf(d)),
      onDelete: (d) => this.queue.add(keyOf(d)),
    })
    const onRS = (rs: ReplicaSet): void => {
      const ref = controllerRef(rs)
      if (ref?.kind === 'Deployment') this.queue.add(`${rs.metadata.namespace}/${ref.name}`)
      else if (!ref) this.enqueueMatching(rs)
    }
    this.rsInformer.addEventHandler({ onAdd: onRS, onUpdate: (_o, rs) => onRS(rs), onDelete: onRS })
  }

  /** Works until the signal aborts. */
  run(signal: AbortSignal): Promise<void> {
    return runQueue(this.ctx, this.name, this.queue, (k) => this.sync(k), signal, 2)
  }

  private enqueueMatching(rs: ReplicaSet): void {
    for (const d of this.dInformer.cache.list()) {
      if (d.metadata.namespace === rs.metadata.namespace && matchesLabels(labelSelectorFromObject(d.spec.selector), rs.metadata.labels)) this.queue.add(keyOf(d))
    }
  }

  /** One sync of a Deployment key. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key)
    const d = this.dInformer.cache.get(namespace, name)
    if (!d || d.metadata.deletionTimestamp) return
    const { client } = this.ctx
    const selector = labelSelectorFromObject(d.spec.selector)
    // Adopt matching orphan ReplicaSets (upstream ClaimReplicaSets).
    for (const rs of this.rsInformer.cache.list()) {
      if (rs.metadata.namespace !== namespace || controllerRef(rs) || rs.metadata.deletionTimestamp) continue
      if (!matchesLabels(selector, rs.metadata.labels)) continue
      await client.patch(RS, namespace, rs.metadata.name!, { metadata: { ownerReferences: [...(rs.metadata.ownerReferences ?? []), newControllerRef(d, 'apps/v1', 'Deployment')] } }, 'application/merge-patch+json')
      return // the RS update event brings us back with the adopted set
    }
    const owned = this.rsInformer.byIndex('controllerUid', d.metadata.uid!).filter((rs) => !rs.metadata.deletionTimestamp)
    const plan = planDeployment(d, owned, this.ctx.clock.now())
    if (plan.create) {
      try {
        await client.create(RS, plan.create)
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 409)) throw err
        // A ReplicaSet of that name exists but is not ours (or our cache lags): upstream bumps collisionCount.
        const existing = this.rsInformer.cache.get(namespace, plan.create.metadata.name!)
        if (existing && controllerRef(existing)?.uid !== d.metadata.uid) {
          await client.updateStatus(DEPLOYMENTS, { ...d, status: { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 } })
        }
        return
      }
    }
    for (const u of plan.updates) {
      const cur = this.rsInformer.cache.get(namespace, u.name)
      if (!cur) continue
      const next: ReplicaSet = { ...cur, metadata: { ...cur.metadata }, spec: { ...cur.spec } }
      if (u.replicas !== undefined) next.spec.replicas = u.replicas
      if (u.annotations) next.metadata.annotations = { ...(cur.metadata.annotations ?? {}), ...u.annotations }
      if (u.minReadySeconds !== undefined) next.spec.minReadySeconds = u.minReadySeconds
      await client.update(RS, next)
    }
    for (const n of plan.deletes) {
      try {
        await client.delete(RS, namespace, n)
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err
      }
    }
    let current = d
    if (d.metadata.annotations?.[REVISION_ANNOTATION] !== plan.revision) {
      current = await client.update(DEPLOYMENTS, { ...d, metadata: { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), [REVISION_ANNOTATION]: plan.revision } } })
    }
    if (!deepEqual(plan.status, d.status)) await client.updateStatus(DEPLOYMENTS, { ...current, status: plan.status })
    // No event arrives when a rollout is stuck: come back when its progress deadline passes.
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs)
  }
}
