// The scheduler's view of one node: the Node plus running totals of the pods bound (or assumed) to it,
// kept incrementally so a scheduling cycle never re-sums every pod.
// upstream: pkg/scheduler/framework/types.go (NodeInfo, PodInfo)
import { BLOCKING_TAINT_EFFECTS } from '../api/taints.js'
import type { Node, Pod, Taint, Toleration } from '../api/types.js'
import { addResources, nodeAllocatable, nonZeroRequests, podRequests, subResources, ZERO, type Resources } from './resources.js'

/** A host port a pod asks for: protocol, host IP ('0.0.0.0' for any) and port. */
export interface HostPort {
  protocol: string
  ip: string
  port: number
}

/** Everything a cycle needs about the pod being scheduled, computed once per pod. */
export interface PodInfo {
  pod: Pod
  key: string
  requests: Resources
  nonZero: Resources
  hostPorts: HostPort[]
  /** uid of the controller owner (ReplicaSet, DaemonSet…), for spreading. */
  ownerUid?: string
  tolerations: Toleration[]
  /** The pod has a nodeSelector or required node affinity (otherwise NodeAffinity passes every node). */
  hasNodeConstraints: boolean
}

/** Builds the PodInfo of a pod. */
export function podInfo(pod: Pod): PodInfo {
  const hostPorts: HostPort[] = []
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) hostPorts.push({ protocol: p.protocol ?? 'TCP', ip: p.hostIP || '0.0.0.0', port: p.hostPort })
    }
  }
  return {
    pod,
    key: `${pod.metadata.namespace}/${pod.metadata.name}`,
    requests: podRequests(pod),
    nonZero: nonZeroRequests(pod),
    hostPorts,
    ownerUid: pod.metadata.ownerReferences?.find((o) => o.controller)?.uid,
    tolerations: pod.spec.tolerations ?? [],
    hasNodeConstraints: Object.keys(pod.spec.nodeSelector ?? {}).length > 0 || pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined,
  }
}

/**
 * One node and the aggregate of the pods on it. What the filters ask of the Node object (readiness,
 * cordon, blocking taints) is derived once per Node update, not once per pod × node: a cycle looks at
 * hundreds of nodes, and re-reading the conditions each time dominated the scheduler's CPU profile.
 */
export class NodeInfo {
  readonly name: string
  node!: Node
  allocatable!: Resources
  /** Ready condition is True. */
  ready = false
  /** spec.unschedulable (cordoned). */
  unschedulable = false
  /** NoSchedule/NoExecute taints only; PreferNoSchedule never filters. */
  blockingTaints: Taint[] = []
  requested: Resources = ZERO
  nonZeroRequested: Resources = ZERO
  readonly pods = new Map<string, PodInfo>()
  readonly ownerCounts = new Map<string, number>()
  readonly usedPorts: HostPort[] = []

  constructor(node: Node) {
    this.name = node.metadata.name!
    this.setNode(node)
  }

  /** Replaces the Node object (an update), keeping the pods counted on it. */
  setNode(node: Node): void {
    this.node = node
    this.allocatable = nodeAllocatable(node)
    this.ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
    this.unschedulable = node.spec?.unschedulable === true
    this.blockingTaints = (node.spec?.taints ?? []).filter((t) => BLOCKING_TAINT_EFFECTS.includes(t.effect))
  }

  /** Adds a pod's requests, ports and owner; adding a key twice is a no-op. */
  addPod(p: PodInfo): void {
    if (this.pods.has(p.key)) return
    this.pods.set(p.key, p)
    this.requested = addResources(this.requested, p.requests)
    this.nonZeroRequested = addResources(this.nonZeroRequested, p.nonZero)
    for (const hp of p.hostPorts) this.usedPorts.push(hp)
    if (p.ownerUid) this.ownerCounts.set(p.ownerUid, (this.ownerCounts.get(p.ownerUid) ?? 0) + 1)
  }

  /** Removes a pod by key; unknown keys are ignored. */
  removePod(key: string): void {
    const p = this.pods.get(key)
    if (!p) return
    this.pods.delete(key)
    this.requested = subResources(this.requested, p.requests)
    this.nonZeroRequested = subResources(this.nonZeroRequested, p.nonZero)
    for (const hp of p.hostPorts) {
      const i = this.usedPorts.findIndex((u) => u.port === hp.port && u.protocol === hp.protocol && u.ip === hp.ip)
      if (i >= 0) this.usedPorts.splice(i, 1)
    }
    if (p.ownerUid) {
      const n = (this.ownerCounts.get(p.ownerUid) ?? 1) - 1
      if (n > 0) this.ownerCounts.set(p.ownerUid, n)
      else this.ownerCounts.delete(p.ownerUid)
    }
  }
}
