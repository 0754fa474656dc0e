// Node lifecycle: every monitor period, nodes whose Lease went stale for the grace period become
// Ready=Unknown and get the unreachable taints, their pods are marked not ready (so endpoints drop
// them), and pods are evicted once their toleration of the taint runs out.
// upstream: pkg/controller/nodelifecycle/node_lifecycle_controller.go (monitorNodeHealth, markPodsNotReady)
import { StatusError } from '../../api/errors.js'
import { rfc3339 } from '../../api/object.js'
import type { Lease, Node, Pod } from '../../api/types.js'
import type { TimerHandle } from '../../base/clock.js'
import type { Informer } from '../../client/informer.js'
import { ensureIndex, type Controller, type ControllerContext } from '../context.js'
import { resource } from '../informer-factory.js'
import { desiredTaints, evictionTime, LeaseObserver, readyStatus, unknownConditions } from './compute.js'

const NODES = resource('nodes')
const PODS = resource('pods')

/** Timing of node lifecycle (ms, seconds as upstream's flags). */
export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period (default 40 s). */
  gracePeriodMs?: number
  /** --node-monitor-period (default 5 s). */
  monitorPeriodMs?: number
  /** Toleration assumed for pods that have none for the taint (upstream admission default 300 s). */
  defaultTolerationSeconds?: number
}

/** Watches node Leases and acts on nodes that stop renewing them. */
export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle'
  private readonly nodeInformer: Informer<Node>
  private readonly leaseInformer: Informer<Lease>
  private readonly podInformer: Informer<Pod>
  private readonly leases = new LeaseObserver()
  private running = false

  constructor(
    private readonly ctx: ControllerContext,
    private readonly opts: NodeLifecycleOptions = {},
  ) {
    this.nodeInformer = ctx.informers.informer<Node>('nodes')
    this.leaseInformer = ctx.informers.informer<Lease>('leases')
    this.podInformer = ctx.informers.informer<Pod>('pods')
    ensureIndex(this.podInformer, 'nodeName', (p) => (p.spec.nodeName ? [p.spec.nodeName] : []))
    const onLease = (l: Lease): void => {
      if (l.metadata.namespace === 'kube-node-lease') this.leases.observe(l.metadata.name!, l.spec?.renewTime, ctx.clock.now())
    }
    this.leaseInformer.addEventHandler({ onAdd: onLease, onUpdate: (_o, l) => onLease(l) })
    this.nodeInformer.addEventHandler({ onDelete: (n) => this.leases.forget(n.metadata.name!) })
  }

  /** Monitors every period until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await this.ctx.informers.waitForSync()
    const every = this.opts.monitorPeriodMs ?? 5000
    let timer: TimerHandle | undefined
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve()
      timer = this.ctx.clock.setInterval(() => void this.monitor(), every)
      signal.addEventListener('abort', () => resolve(), { once: true })
    })
    this.ctx.clock.clearInterval(timer)
  }

  /** One pass over all nodes (skipped when the previous pass is still running). */
  async monitor(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      const now = this.ctx.clock.now()
      const grace = this.opts.gracePeriodMs ?? 40_000
      for (const node of this.nodeInformer.cache.list()) {
        try {
          await this.checkNode(node, now, grace)
        } catch (err) {
          this.ctx.logger.warn({ node: node.metadata.name, err: (err as Error).message }, 'node health update failed; next period retries')
        }
      }
    } finally {
      this.running = false
    }
  }

  private async checkNode(node: Node, now: number, grace: number): Promise<void> {
    const name = node.metadata.name!
    const { client } = this.ctx
    let cur = node
    if (!this.leases.healthy(name, now, grace) && readyStatus(cur) !== 'Unknown') {
      this.ctx.logger.info({ node: name }, 'node lease not renewed within the grace period; marking Ready=Unknown')
      cur = await client.updateStatus(NODES, { ...cur, status: { ...(cur.status ?? {}), conditions: unknownConditions(cur, now) } })
    }
    const taints = desiredTaints(cur, now)
    if (JSON.stringify(taints) !== JSON.stringify(cur.spec?.taints ?? [])) {
      const spec = { ...(cur.spec ?? {}) }
      if (taints.length) spec.taints = taints
      else delete spec.taints
      cur = await client.update(NODES, { ...cur, spec })
    }
    if (readyStatus(cur) === 'True') return
    for (const pod of this.podInformer.byIndex('nodeName', name)) {
      if (pod.metadata.deletionTimestamp) continue
      const due = evictionTime(pod, taints, this.opts.defaultTolerationSeconds ?? 300)
      if (due !== undefined && due <= now) {
        this.ctx.logger.info({ node: name, pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'evicting pod from unreachable node')
        await this.ignoreGone(client.delete(PODS, pod.metadata.namespace, pod.metadata.name!))
        continue
      }
      await this.markNotReady(pod, now)
    }
  }

  // upstream MarkPodsNotReady: the Ready condition goes False so endpoints drop the pod at once.
  private async markNotReady(pod: Pod, now: number): Promise<void> {
    const conds = pod.status?.conditions ?? []
    if (!conds.some((c) => c.type === 'Ready' && c.status === 'True')) return
    const ts = rfc3339(now)
    const next = conds.map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False' as const, lastTransitionTime: ts, reason: 'NodeNotReady', message: undefined } : c))
    for (const c of next) if (c.message === undefined) delete c.message
    await this.ignoreGone(this.ctx.client.updateStatus(PODS, { ...pod, status: { ...pod.status, conditions: next } }))
  }

  private async ignoreGone(p: Promise<unknown>): Promise<void> {
    try {
      await p
    } catch (err) {
      if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err
    }
  }
}
