// The scheduler loop: informers on nodes and pods keep a NodeInfo cache; pods without a node wait in
// the scheduling queue; each cycle runs schedulePod (pure), assumes the pod on the chosen node and
// binds it through pods/binding in the background; failures get a FailedScheduling Event, a
// PodScheduled=False condition and a retry with backoff when the cluster changes.
// upstream: pkg/scheduler/scheduler.go, schedule_one.go (scheduleOne, bindingCycle, handleSchedulingFailure),
//           pkg/scheduler/eventhandlers.go, backend/cache/cache.go (AssumePod)
import { EventEmitter, setMaxListeners } from 'node:events'
import { StatusError } from '../api/errors.js'
import { rfc3339 } from '../api/object.js'
import { RESOURCES } from '../api/registry.js'
import type { Event, Node, Pod } from '../api/types.js'
import type { Clock } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import type { Rng } from '../base/rng.js'
import { Informer } from '../client/informer.js'
import type { RestClient } from '../client/rest-client.js'
import { NodeInfo, podInfo } from './node-info.js'
import { schedulePod } from './schedule.js'
import { SchedulingQueue } from './scheduling-queue.js'

const PODS = RESOURCES.find((r) => r.plural === 'pods')!
const NODES = RESOURCES.find((r) => r.plural === 'nodes')!
const EVENTS = RESOURCES.find((r) => r.plural === 'events')!

/** The scheduler names kplab answers to by default. */
export const DEFAULT_SCHEDULER_NAMES = ['default-scheduler', 'kplab-scheduler']

/** Options of a Scheduler; the constructor does no I/O. */
export interface SchedulerOptions {
  client: RestClient
  clock: Clock
  rng?: Rng
  logger?: Logger
  schedulerNames?: string[]
  /** Bindings in flight at once (upstream binds each pod in its own goroutine). */
  bindConcurrency?: number
  initialBackoffMs?: number
  maxBackoffMs?: number
  percentageOfNodesToScore?: number
}

/**
 * Schedules pods onto nodes. Events: 'scheduled' (pod key, node), 'unschedulable' (pod key, message),
 * 'bindFailed' (pod key, err).
 */
export class Scheduler extends EventEmitter {
  readonly podInformer: Informer<Pod>
  readonly nodeInformer: Informer<Node>
  readonly queue: SchedulingQueue
  private readonly nodes = new Map<string, NodeInfo>()
  private nodeList: NodeInfo[] = []
  private nodeListDirty = true
  /** pod key → node it is bound or assumed to. */
  private readonly podNode = new Map<string, string>()
  private readonly assumed = new Set<string>()
  private nextStart = 0
  private eventSeq = 0
  private inFlight = 0
  private bindSlot?: () => void
  private readonly log: Logger
  private readonly names: Set<string>
  /**
   * Scheduling cycles run and the time spent in them (the pure part, without binding I/O): wall time,
   * and process CPU time, which is what compares on a shared machine where wall time includes waiting.
   */
  readonly stats = { cycles: 0, cycleMs: 0, cycleCpuMs: 0 }

  constructor(private readonly opts: SchedulerOptions) {
    super()
    this.log = opts.logger ?? silentLogger()
    this.names = new Set(opts.schedulerNames ?? DEFAULT_SCHEDULER_NAMES)
    this.queue = new SchedulingQueue({ clock: opts.clock, initialBackoffMs: opts.initialBackoffMs, maxBackoffMs: opts.maxBackoffMs })
    this.podInformer = new Informer<Pod>({ client: opts.client, resource: PODS, clock: opts.clock, logger: this.log })
    this.nodeInformer = new Informer<Node>({ client: opts.client, resource: NODES, clock: opts.clock, logger: this.log })
    this.nodeInformer.addEventHandler({
      onAdd: (n) => this.upsertNode(n),
      onUpdate: (_o, n) => this.upsertNode(n),
      onDelete: (n) => {
        this.nodes.delete(n.metadata.name!)
        this.nodeListDirty = true
      },
    })
    this.podInformer.addEventHandler({
      onAdd: (p) => this.onPod(undefined, p),
      onUpdate: (o, p) => this.onPod(o, p),
      onDelete: (p) => this.onPodDelete(p),
    })
  }

  /** Runs informers and the scheduling loop until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    setMaxListeners(0, signal)
    const informers = [this.nodeInformer.start(signal), this.podInformer.start(signal)]
    signal.addEventListener('abort', () => this.queue.close(), { once: true })
    await Promise.all([this.nodeInformer.synced, this.podInformer.synced])
    this.emit('synced')
    for (;;) {
      const key = await this.queue.pop()
      if (key === undefined) break
      await this.scheduleOne(key, signal)
    }
    await Promise.all(informers)
  }

  /** Number of nodes in the cache. */
  get nodeCount(): number {
    return this.nodes.size
  }

  private responsible(p: Pod): boolean {
    return !p.spec.nodeName && !p.metadata.deletionTimestamp && this.names.has(p.spec.schedulerName ?? 'default-scheduler')
  }

  private upsertNode(n: Node): void {
    const name = n.metadata.name!
    const cur = this.nodes.get(name)
    if (cur) {
      // A placeholder (pods bound before the node arrived) becomes a candidate now.
      if (cur.node.metadata.uid === undefined && !cur.node.status?.allocatable) this.nodeListDirty = true
      // Updated in place: a heartbeat must not re-sort the node list or re-add every pod.
      cur.setNode(n)
    } else {
      this.nodes.set(name, new NodeInfo(n))
      this.nodeListDirty = true
    }
    // A node joining or changing (taints, readiness, capacity) may fit pods that did not fit before.
    this.queue.moveAllToActive()
  }

  private onPod(old: Pod | undefined, p: Pod): void {
    const key = `${p.metadata.namespace}/${p.metadata.name}`
    const node = p.spec.nodeName
    if (node) {
      this.queue.delete(key)
      const done = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed'
      if (done) return this.forgetPod(key)
      const prev = this.podNode.get(key)
      this.assumed.delete(key)
      if (prev === node) return
      if (prev) this.nodes.get(prev)?.removePod(key)
      this.podNode.set(key, node)
      this.nodeFor(node).addPod(podInfo(p))
      return
    }
    if (!this.responsible(p) || this.assumed.has(key)) return
    // Status-only updates (ours: PodScheduled=False) must not undo the backoff.
    if (old && JSON.stringify(old.spec) === JSON.stringify(p.spec) && JSON.stringify(old.metadata.labels) === JSON.stringify(p.metadata.labels)) return
    this.queue.add(key)
  }

  private onPodDelete(p: Pod): void {
    const key = `${p.metadata.namespace}/${p.metadata.name}`
    this.queue.delete(key)
    if (this.podNode.has(key)) {
      this.forgetPod(key)
      this.queue.moveAllToActive()
    }
  }

  private forgetPod(key: string): void {
    const node = this.podNode.get(key)
    if (node) this.nodes.get(node)?.removePod(key)
    this.podNode.delete(key)
    this.assumed.delete(key)
  }

  // A pod can be bound to a node the informer has not delivered yet: keep its resources anyway.
  private nodeFor(name: string): NodeInfo {
    let ni = this.nodes.get(name)
    if (!ni) {
      ni = new NodeInfo({ metadata: { name }, status: { conditions: [] } })
      this.nodes.set(name, ni)
      this.nodeListDirty = true
    }
    return ni
  }

  private snapshot(): NodeInfo[] {
    if (this.nodeListDirty) {
      // Placeholder NodeInfos (pods bound to nodes we have not seen) are not candidates.
      this.nodeList = [...this.nodes.values()].filter((n) => n.node.metadata.uid !== undefined || n.node.status?.allocatable)
      this.nodeList.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      this.nodeListDirty = false
    }
    return this.nodeList
  }

  private async scheduleOne(key: string, signal: AbortSignal): Promise<void> {
    const pod = this.podInformer.cache.getByKey(key)
    if (!pod || !this.responsible(pod) || this.assumed.has(key)) return
    const t0 = this.opts.clock.hrtime()
    const cpu0 = process.cpuUsage()
    const nodes = this.snapshot()
    const info = podInfo(pod)
    const result = schedulePod(info, nodes, { startIndex: this.nextStart, rng: this.opts.rng, percentageOfNodesToScore: this.opts.percentageOfNodesToScore })
    this.stats.cycles++
    this.stats.cycleMs += Number(this.opts.clock.hrtime() - t0) / 1e6
    const cpu = process.cpuUsage(cpu0)
    this.stats.cycleCpuMs += (cpu.user + cpu.system) / 1000
    if ('unschedulable' in result) {
      const backoff = this.queue.addUnschedulable(key)
      this.log.info({ pod: key, reason: result.unschedulable, retryAfterMs: backoff }, 'pod unschedulable')
      this.emit('unschedulable', key, result.unschedulable)
      void this.recordFailure(pod, result.unschedulable)
      return
    }
    if (nodes.length > 0) this.nextStart = (this.nextStart + result.evaluated) % nodes.length
    // upstream AssumePod: count the pod on the node now, so the next cycle sees its resources.
    this.assumed.add(key)
    this.podNode.set(key, result.node)
    this.nodeFor(result.node).addPod(info)
    const limit = this.opts.bindConcurrency ?? 32
    while (this.inFlight >= limit && !signal.aborted) await new Promise<void>((r) => (this.bindSlot = r))
    this.inFlight++
    void this.bind(pod, result.node).finally(() => {
      this.inFlight--
      const slot = this.bindSlot
      this.bindSlot = undefined
      slot?.()
    })
  }

  private async bind(pod: Pod, node: string): Promise<void> {
    const ns = pod.metadata.namespace!
    const name = pod.metadata.name!
    const key = `${ns}/${name}`
    try {
      await this.opts.client.request('POST', this.opts.client.resourcePath(PODS, ns, name, 'binding'), {
        body: { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns }, target: { apiVersion: 'v1', kind: 'Node', name: node } },
        resource: PODS,
        name,
      })
      this.emit('scheduled', key, node)
      this.log.debug({ pod: key, node }, 'bound')
    } catch (err) {
      this.log.warn({ pod: key, node, err: (err as Error).message }, 'binding failed')
      this.emit('bindFailed', key, err)
      if (this.assumed.has(key)) this.forgetPod(key)
      if (!(err instanceof StatusError && err.code === 404)) this.queue.addBackoff(key)
    }
  }

  private async recordFailure(pod: Pod, message: string): Promise<void> {
    const { client, clock } = this.opts
    const now = rfc3339(clock.now())
    try {
      const ns = pod.metadata.namespace!
      const event: Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${pod.metadata.name}.${clock.now().toString(16)}${(this.eventSeq++).toString(16)}`, namespace: ns },
        involvedObject: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: pod.metadata.resourceVersion },
        reason: 'FailedScheduling',
        message,
        type: 'Warning',
        source: { component: 'default-scheduler' },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: 'default-scheduler',
      }
      await client.create(EVENTS, event)
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'event not recorded')
    }
    // upstream updatePod: PodScheduled=False, reason Unschedulable, only when it changed.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const cur = await client.get<Pod>(PODS, pod.metadata.namespace, pod.metadata.name!)
        if (cur.spec.nodeName) return
        const conds = cur.status?.conditions ?? []
        const old = conds.find((c) => c.type === 'PodScheduled')
        if (old?.status === 'False' && old.reason === 'Unschedulable' && old.message === message) return
        const cond = { type: 'PodScheduled', status: 'False' as const, lastProbeTime: null, lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : now, reason: 'Unschedulable', message }
        cur.status = { ...(cur.status ?? {}), conditions: [...conds.filter((c) => c.type !== 'PodScheduled'), cond] }
        await client.updateStatus(PODS, cur)
        return
      } catch (err) {
        if (err instanceof StatusError && err.code === 409) continue
        this.log.debug({ err: (err as Error).message }, 'pod condition not updated')
        return
      }
    }
  }
}
