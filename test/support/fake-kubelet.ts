// A minimal stand-in for a kubelet, for in-process control-plane tests: registers a Node, renews its
// Lease in kube-node-lease when told to, and marks pods bound to it Running and Ready (or not ready)
// through the status subresource; pods being deleted are removed at once (no processes to stop).
import { StatusError } from '../../src/api/errors.js'
import { rfc3339 } from '../../src/api/object.js'
import { RESOURCES } from '../../src/api/registry.js'
import type { Lease, Node, Pod, Taint } from '../../src/api/types.js'
import type { Clock } from '../../src/base/clock.js'
import { Informer } from '../../src/client/informer.js'
import type { RestClient } from '../../src/client/rest-client.js'

const PODS = RESOURCES.find((r) => r.plural === 'pods')!
const NODES = RESOURCES.find((r) => r.plural === 'nodes')!
const LEASES = RESOURCES.find((r) => r.plural === 'leases')!

/** Options of a FakeKubelet. */
export interface FakeKubeletOptions {
  client: RestClient
  clock: Clock
  nodeName: string
  /** Node index: InternalIP 192.168.56.(10+i), pod IPs 10.244.i.x. */
  index: number
  labels?: Record<string, string>
  allocatable?: Record<string, string>
  taints?: Taint[]
}

/** A fake node agent; start() registers the node and begins reconciling its pods until stop(). */
export class FakeKubelet {
  readonly informer: Informer<Pod>
  private readonly stopper = new AbortController()
  private nextIp = 2
  private readonly notReady = new Set<string>()
  private readonly inflight = new Set<Promise<unknown>>()

  constructor(private readonly opts: FakeKubeletOptions) {
    this.informer = new Informer<Pod>({ client: opts.client, resource: PODS, clock: opts.clock, fieldSelector: `spec.nodeName=${opts.nodeName}` })
    const handle = (p: Pod): void => {
      const work = this.reconcile(p).catch(() => undefined)
      this.inflight.add(work)
      void work.finally(() => this.inflight.delete(work))
    }
    this.informer.addEventHandler({ onAdd: handle, onUpdate: (_o, p) => handle(p) })
  }

  /** Registers the Node (Ready) and its Lease, then watches its pods. */
  async start(): Promise<void> {
    const { client, nodeName, index } = this.opts
    const now = rfc3339(this.opts.clock.now())
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', ...(this.opts.labels ?? {}) } },
      spec: this.opts.taints ? { taints: this.opts.taints } : {},
      status: {
        capacity: this.opts.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' },
        allocatable: this.opts.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
        addresses: [
          { type: 'InternalIP', address: `192.168.56.${10 + index}` },
          { type: 'Hostname', address: nodeName },
        ],
      },
    }
    await client.create(NODES, node)
    await client.create<Lease>(LEASES, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: nodeName, namespace: 'kube-node-lease' },
      spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: rfc3339(this.opts.clock.now()) },
    })
    void this.informer.start(this.stopper.signal)
    await this.informer.synced
  }

  /** Renews the node Lease (renewTime = clock.now()). */
  async renewLease(): Promise<void> {
    const lease = await this.opts.client.get<Lease>(LEASES, 'kube-node-lease', this.opts.nodeName)
    await this.opts.client.update(LEASES, { ...lease, spec: { ...lease.spec, renewTime: rfc3339(this.opts.clock.now()) } })
  }

  /** Sets a pod's readiness as a probe would; the next status write reflects it. */
  async setReady(namespace: string, name: string, ready: boolean): Promise<void> {
    if (ready) this.notReady.delete(`${namespace}/${name}`)
    else this.notReady.add(`${namespace}/${name}`)
    const pod = await this.opts.client.get<Pod>(PODS, namespace, name)
    await this.writeStatus(pod)
  }

  /** Stops watching pods (the node's heartbeat is driven by the test). */
  async stop(): Promise<void> {
    this.stopper.abort()
    await Promise.allSettled([...this.inflight])
  }

  private async reconcile(p: Pod): Promise<void> {
    if (this.stopper.signal.aborted) return
    if (p.metadata.deletionTimestamp) {
      try {
        await this.opts.client.delete(PODS, p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } })
      } catch (err) {
        if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err
      }
      return
    }
    const ready = !this.notReady.has(`${p.metadata.namespace}/${p.metadata.name}`)
    const cur = p.status?.conditions?.find((c) => c.type === 'Ready')
    if (p.status?.phase === 'Running' && p.status.podIP && cur?.status === (ready ? 'True' : 'False')) return
    await this.writeStatus(p)
  }

  private async writeStatus(p: Pod): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const ready = !this.notReady.has(`${p.metadata.namespace}/${p.metadata.name}`)
      const now = rfc3339(this.opts.clock.now())
      const podIP = p.status?.podIP ?? `10.244.${this.opts.index}.${this.nextIp++}`
      const r = ready ? 'True' : 'False'
      const conds = [
        { type: 'PodScheduled', status: 'True' as const, lastTransitionTime: now },
        { type: 'Initialized', status: 'True' as const, lastTransitionTime: now },
        { type: 'ContainersReady', status: r as 'True' | 'False', lastTransitionTime: now },
        { type: 'Ready', status: r as 'True' | 'False', lastTransitionTime: now },
      ]
      const status: Pod['status'] = {
        ...(p.status ?? {}),
        phase: 'Running',
        hostIP: `192.168.56.${10 + this.opts.index}`,
        podIP,
        podIPs: [{ ip: podIP }],
        startTime: p.status?.startTime ?? now,
        conditions: conds,
        containerStatuses: p.spec.containers.map((c) => ({ name: c.name, ready, restartCount: 0, image: c.image ?? '', imageID: '', started: true, state: { running: { startedAt: now } } })),
      }
      try {
        await this.opts.client.updateStatus(PODS, { ...p, status })
        return
      } catch (err) {
        if (err instanceof StatusError && err.code === 409) {
          p = await this.opts.client.get<Pod>(PODS, p.metadata.namespace, p.metadata.name!)
          continue
        }
        if (err instanceof StatusError && err.code === 404) return
        throw err
      }
    }
  }
}
