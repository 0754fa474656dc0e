// The DaemonSet controller loop: one pod per eligible node, created when a node joins and removed when
// it stops qualifying; status for `kubectl rollout status ds`. Deciding is in compute.ts.
// upstream: pkg/controller/daemon/daemon_controller.go (syncDaemonSet)
import { StatusError } from '../../api/errors.js'
import { deepEqual } from '../../api/object.js'
import type { DaemonSet, Node, Pod } from '../../api/types.js'
import type { Informer } from '../../client/informer.js'
import { ensureIndex, newQueue, runQueue, type Controller, type ControllerContext } from '../context.js'
import { Expectations } from '../expectations.js'
import { resource } from '../informer-factory.js'
import { controllerRef, keyOf, newControllerRef, splitKey } from '../owner.js'
import { generateNamePrefix, isPodActive, podFromTemplate } from '../pod-util.js'
import { daemonPodSpec, planDaemonSet } from './compute.js'
import { CONTROLLER_REVISION_HASH } from './update.js'

const PODS = resource('pods')
const DS = resource('daemonsets')

/** Keeps one daemon pod on every eligible node. */
export class DaemonSetController implements Controller {
  readonly name = 'daemonset'
  private readonly queue
  private readonly expectations
  private readonly dsInformer: Informer<DaemonSet>
  private readonly podInformer: Informer<Pod>
  private readonly nodeInformer: Informer<Node>

  constructor(private readonly ctx: ControllerContext) {
    this.queue = newQueue(ctx)
    this.expectations = new Expectations(ctx.clock)
    this.dsInformer = ctx.informers.informer<DaemonSet>('daemonsets')
    this.podInformer = ctx.informers.informer<Pod>('pods')
    this.nodeInformer = ctx.informers.informer<Node>('nodes')
    ensureIndex(this.podInformer, 'controllerUid', (p) => {
      const ref = controllerRef(p)
      return ref ? [ref.uid] : []
    })
    this.dsInformer.addEventHandler({
      onAdd: (d) => this.queue.add(keyOf(d)),
      onUpdate: (_o, d) => this.queue.add(keyOf(d)),
      onDelete: (d) => {
        this.expectations.delete(keyOf(d))
      },
    })
    const owner = (p: Pod): string | undefined => {
      const ref = controllerRef(p)
      return ref?.kind === 'DaemonSet' ? `${p.metadata.namespace}/${ref.name}` : undefined
    }
    this.podInformer.addEventHandler({
      onAdd: (p) => {
        const k = owner(p)
        if (!k) return
        this.expectations.creationObserved(k)
        this.queue.add(k)
      },
      onUpdate: (o, p) => {
        const k = owner(p)
        if (!k) return
        if (p.metadata.deletionTimestamp && !o.metadata.deletionTimestamp) this.expectations.deletionObserved(k)
        this.queue.add(k)
      },
      onDelete: (p) => {
        const k = owner(p)
        if (!k) return
        if (!p.metadata.deletionTimestamp) this.expectations.deletionObserved(k)
        this.queue.add(k)
      },
    })
    const all = (): void => {
      for (const d of this.dsInformer.cache.list()) this.queue.add(keyOf(d))
    }
    this.nodeInformer.addEventHandler({
      onAdd: all,
      onUpdate: (o, n) => {
        // Heartbeat-only changes do not change eligibility.
        if (JSON.stringify(o.metadata.labels) !== JSON.stringify(n.metadata.labels) || JSON.stringify(o.spec) !== JSON.stringify(n.spec)) all()
      },
      onDelete: all,
    })
  }

  /** Works until the signal aborts. */
  run(signal: AbortSignal): Promise<void> {
    return runQueue(this.ctx, this.name, this.queue, (k) => this.sync(k), signal, 2)
  }

  /** One sync of a DaemonSet key. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key)
    const ds = this.dsInformer.cache.get(namespace, name)
    if (!ds || ds.metadata.deletionTimestamp) return
    const active = this.podInformer.byIndex('controllerUid', ds.metadata.uid!).filter(isPodActive)
    const plan = planDaemonSet(ds, this.nodeInformer.cache.list(), active, this.ctx.clock.now())
    if (this.expectations.satisfied(key) && (plan.createOn.length > 0 || plan.remove.length > 0)) {
      this.expectations.expect(key, plan.createOn.length, plan.remove.length)
      const ref = newControllerRef(ds, 'apps/v1', 'DaemonSet')
      const created = await Promise.allSettled(
        plan.createOn.map((node) => {
          const pod = podFromTemplate(ds.spec.template, namespace, generateNamePrefix(ds), ref)
          pod.spec = daemonPodSpec(ds, node)
          pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [CONTROLLER_REVISION_HASH]: plan.hash }
          return this.ctx.client.create(PODS, pod)
        }),
      )
      const removed = await Promise.allSettled(plan.remove.map((p) => this.ctx.client.delete(PODS, namespace, p.metadata.name!)))
      let firstErr: unknown
      for (const r of created) if (r.status === 'rejected') (this.expectations.creationObserved(key), (firstErr ??= r.reason))
      for (const r of removed) {
        if (r.status === 'fulfilled') continue
        this.expectations.deletionObserved(key)
        if (!(r.reason instanceof StatusError && r.reason.code === 404)) firstErr ??= r.reason
      }
      if (firstErr) throw firstErr
    }
    if (!deepEqual(plan.status, ds.status)) {
      try {
        await this.ctx.client.updateStatus(DS, { ...ds, status: plan.status })
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err
      }
    }
    const min = ds.spec.minReadySeconds ?? 0
    // A ready pod becomes available minReadySeconds later, which no event announces (upstream AddAfter).
    if (min > 0 && (plan.status.numberAvailable ?? 0) < plan.status.numberReady) this.queue.addAfter(key, min * 1000)
  }
}
