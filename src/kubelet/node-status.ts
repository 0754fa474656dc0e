// The node's side of the control plane: register the Node (capacity, allocatable, addresses, pod
// CIDR, kubelet port), keep its conditions current every node-status-update-frequency, and renew
// its Lease in kube-node-lease every quarter of the lease duration, all on the injected clock.
// upstream: pkg/kubelet/kubelet_node_status.go (registerWithAPIServer, setNodeStatus) and
//           pkg/kubelet/nodelease (renewInterval = 25% of the lease duration)
import { EventEmitter } from 'node:events'
import { StatusError } from '../api/errors.js'
import { rfc3339 } from '../api/object.js'
import { RESOURCES } from '../api/registry.js'
import type { Lease, Node, NodeCondition, NodeStatus } from '../api/types.js'
import type { Clock, TimerHandle } from '../base/clock.js'
import type { Logger } from '../base/logger.js'
import type { RestClient } from '../client/rest-client.js'

const NODES = RESOURCES.find((r) => r.plural === 'nodes')!
const LEASES = RESOURCES.find((r) => r.plural === 'leases')!

/** The namespace of node heartbeat Leases. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease'

/** Annotation telling the API server's log proxy how to reach the kubelet (`http` or `https`). */
export const KUBELET_SCHEME_ANNOTATION = 'kplab.io/kubelet-scheme'

/** What the node reports about itself. */
export interface NodeInfoOptions {
  nodeName: string
  nodeIP: string
  podCidr?: string
  kubeletPort: number
  kubeletScheme: 'http' | 'https'
  capacity: { cpu: string; memory: string; pods: string }
  labels?: Record<string, string>
  /** `netns` or `loopback`: shown as the label kplab.io/pod-network. */
  podNetwork: string
  kernelVersion: string
  architecture: string
}

/** The Node object the kubelet registers (pure). */
export function desiredNode(o: NodeInfoOptions, now: string): Node {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: o.nodeName,
      labels: {
        'kubernetes.io/hostname': o.nodeName,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': o.architecture,
        'kplab.io/pod-network': o.podNetwork,
        ...(o.labels ?? {}),
      },
      annotations: { [KUBELET_SCHEME_ANNOTATION]: o.kubeletScheme },
    },
    spec: o.podCidr ? { podCIDR: o.podCidr, podCIDRs: [o.podCidr] } : {},
    status: nodeStatus(o, undefined, now),
  }
  return node
}

/** The node status with conditions whose transition times move only on change (pure). */
export function nodeStatus(o: NodeInfoOptions, old: NodeCondition[] | undefined, now: string): NodeStatus {
  const cond = (type: string, status: 'True' | 'False', reason: string, message: string): NodeCondition => {
    const prev = old?.find((c) => c.type === type)
    return { type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: prev && prev.status === status ? (prev.lastTransitionTime ?? now) : now }
  }
  const capacity = { ...o.capacity }
  return {
    capacity,
    allocatable: { ...capacity },
    // upstream: pkg/kubelet/nodestatus/setters.go (reasons and messages)
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: o.nodeIP },
      { type: 'Hostname', address: o.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: o.kubeletPort } },
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: o.kernelVersion,
      osImage: 'kplab',
      containerRuntimeVersion: 'kplab-process://0.1.0',
      kubeletVersion: 'v1.31.0-kplab',
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: o.architecture,
    },
  }
}

/** Options of NodeStatusManager. */
export interface NodeStatusOptions extends NodeInfoOptions {
  client: RestClient
  clock: Clock
  logger: Logger
  statusUpdateFrequencyMs: number
  leaseDurationSeconds: number
}

/** Registers the Node and keeps status and Lease fresh. Events: 'registered', 'status', 'lease', 'podCIDR' (cidr). */
export class NodeStatusManager extends EventEmitter {
  private statusTimer: TimerHandle | undefined
  private leaseTimer: TimerHandle | undefined
  private conditions: NodeCondition[] | undefined
  private nodeUid: string | undefined
  /** The pod CIDR: from the flag, else from the Node's spec once node IPAM has set it. */
  podCidr: string | undefined

  constructor(private readonly opts: NodeStatusOptions) {
    super()
    this.podCidr = opts.podCidr
  }

  /** Registers (or updates) the Node, renews the Lease once, then starts both timers. */
  async start(): Promise<void> {
    await this.register()
    await this.renewLease()
    this.statusTimer = this.opts.clock.setInterval(() => void this.updateStatus(), this.opts.statusUpdateFrequencyMs)
    this.leaseTimer = this.opts.clock.setInterval(() => void this.renewLease(), (this.opts.leaseDurationSeconds * 1000) / 4)
  }

  /** Stops both timers. */
  stop(): void {
    this.opts.clock.clearInterval(this.statusTimer)
    this.opts.clock.clearInterval(this.leaseTimer)
  }

  private now(): string {
    return rfc3339(this.opts.clock.now())
  }

  private async register(): Promise<void> {
    const want = desiredNode(this.opts, this.now())
    try {
      const created = await this.opts.client.create<Node>(NODES, want)
      this.nodeUid = created.metadata.uid
      this.conditions = created.status?.conditions
      this.notePodCidr(created)
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e
      // upstream: registerWithAPIServer → the node exists: reconcile labels and status, keep the rest.
      const cur = await this.opts.client.get<Node>(NODES, undefined, this.opts.nodeName)
      const spec = { ...(cur.spec ?? {}), ...(want.spec?.podCIDR && !cur.spec?.podCIDR ? want.spec : {}) }
      const merged: Node = {
        ...cur,
        metadata: { ...cur.metadata, labels: { ...(cur.metadata.labels ?? {}), ...want.metadata.labels }, annotations: { ...(cur.metadata.annotations ?? {}), ...want.metadata.annotations } },
        spec,
      }
      const updated = await this.opts.client.update<Node>(NODES, merged)
      this.nodeUid = updated.metadata.uid
      this.notePodCidr(updated)
      this.conditions = cur.status?.conditions
      await this.updateStatus()
    }
    this.emit('registered')
  }

  /** Writes the status (heartbeat and conditions); failures are logged and retried next period. */
  async updateStatus(): Promise<void> {
    const status = nodeStatus(this.opts, this.conditions, this.now())
    try {
      const updated = await this.opts.client.patch<Node>(NODES, undefined, this.opts.nodeName, { status }, 'application/merge-patch+json', { subresource: 'status' })
      this.conditions = updated.status?.conditions
      this.notePodCidr(updated)
      this.emit('status', updated)
    } catch (e) {
      this.opts.logger.warn({ err: (e as Error).message }, 'node status update failed')
    }
  }

  /** Creates or renews the node's Lease (holder = node name). */
  async renewLease(): Promise<void> {
    const name = this.opts.nodeName
    const now = rfc3339(this.opts.clock.now())
    try {
      let lease: Lease
      try {
        const cur = await this.opts.client.get<Lease>(LEASES, NODE_LEASE_NAMESPACE, name)
        lease = await this.opts.client.update<Lease>(LEASES, { ...cur, spec: { ...cur.spec, holderIdentity: name, leaseDurationSeconds: this.opts.leaseDurationSeconds, renewTime: now } })
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e
        lease = await this.opts.client.create<Lease>(LEASES, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          // upstream: pkg/kubelet/nodelease (setNodeOwnerFunc): the Lease goes when its Node does.
          metadata: {
            name,
            namespace: NODE_LEASE_NAMESPACE,
            ...(this.nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: this.nodeUid }] } : {}),
          },
          spec: { holderIdentity: name, leaseDurationSeconds: this.opts.leaseDurationSeconds, renewTime: now },
        })
      }
      this.emit('lease', lease)
    } catch (e) {
      this.opts.logger.warn({ err: (e as Error).message }, 'node lease renewal failed')
    }
  }

  private notePodCidr(node: Node): void {
    const cidr = node.spec?.podCIDR
    if (cidr && cidr !== this.podCidr) {
      this.podCidr = cidr
      this.emit('podCIDR', cidr)
    }
  }
}
