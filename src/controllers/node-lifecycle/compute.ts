// Node lifecycle decisions, pure: is a node's Lease fresh, what its conditions and taints should be,
// and when a pod on a tainted node is due for eviction.
// upstream: pkg/controller/nodelifecycle/node_lifecycle_controller.go (tryUpdateNodeHealth,
//           processTaintBaseEviction), pkg/controller/tainteviction/taint_eviction.go (getMinTolerationTime)
import { rfc3339 } from '../../api/object.js'
import type { Node, NodeCondition, Pod, Taint } from '../../api/types.js'
import { toleratesTaint } from '../../api/taints.js'

/** The taint keys node lifecycle manages. */
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable'
/** Taint for Ready=False. */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready'

/** The Ready condition's status ('Unknown' when absent). */
export function readyStatus(node: Node): 'True' | 'False' | 'Unknown' {
  return (node.status?.conditions?.find((c) => c.type === 'Ready')?.status as 'True' | 'False' | undefined) ?? 'Unknown'
}

/** Every condition set to Unknown as upstream does when the kubelet stops posting status. */
export function unknownConditions(node: Node, now: number): NodeCondition[] {
  const ts = rfc3339(now)
  const conds = node.status?.conditions ?? []
  const out = conds.map((c) =>
    c.status === 'Unknown' ? c : { ...c, status: 'Unknown' as const, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: ts },
  )
  if (!out.some((c) => c.type === 'Ready')) out.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastTransitionTime: ts })
  return out
}

/** The node's taints with the lifecycle taints set for its Ready status (others kept; timeAdded kept when present). */
export function desiredTaints(node: Node, now: number): Taint[] {
  const ready = readyStatus(node)
  const others = (node.spec?.taints ?? []).filter((t) => t.key !== TAINT_UNREACHABLE && t.key !== TAINT_NOT_READY)
  const key = ready === 'Unknown' ? TAINT_UNREACHABLE : ready === 'False' ? TAINT_NOT_READY : undefined
  if (!key) return others
  const old = (node.spec?.taints ?? []).filter((t) => t.key === key)
  const added = old.find((t) => t.timeAdded)?.timeAdded ?? rfc3339(now)
  return [...others, { key, effect: 'NoSchedule' }, { key, effect: 'NoExecute', timeAdded: added }]
}

/**
 * When the pod must leave a node with these taints (ms since epoch), or undefined for never:
 * the smallest tolerationSeconds among tolerations of the NoExecute taints; an untolerated taint uses
 * `defaultTolerationSeconds` (what upstream's DefaultTolerationSeconds admission would have added).
 */
export function evictionTime(pod: Pod, taints: readonly Taint[], defaultTolerationSeconds: number): number | undefined {
  let due: number | undefined
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN
    if (!Number.isFinite(added)) continue
    const matching = (pod.spec.tolerations ?? []).filter((t) => toleratesTaint(t, taint))
    let seconds: number | undefined
    if (matching.length === 0) seconds = defaultTolerationSeconds
    else if (matching.every((t) => t.tolerationSeconds !== undefined)) seconds = Math.min(...matching.map((t) => Math.max(0, t.tolerationSeconds!)))
    else continue // tolerated forever
    const at = added + seconds * 1000
    due = due === undefined ? at : Math.min(due, at)
  }
  return due
}

/** Tracks when each node's Lease last changed, on our own clock (upstream: probeTimestamp, skew-proof). */
export class LeaseObserver {
  private readonly seen = new Map<string, { renew: string; at: number }>()

  /** Records the lease's renewTime; the observation time moves only when renewTime changed. */
  observe(node: string, renewTime: string | undefined, now: number): void {
    const cur = this.seen.get(node)
    if (!cur || cur.renew !== (renewTime ?? '')) this.seen.set(node, { renew: renewTime ?? '', at: now })
  }

  /** True when the node's Lease was seen to change within graceMs of now (first sight counts as a change). */
  healthy(node: string, now: number, graceMs: number): boolean {
    const cur = this.seen.get(node)
    if (!cur) {
      this.seen.set(node, { renew: '', at: now })
      return true
    }
    return now - cur.at <= graceMs
  }

  /** Forgets a node. */
  forget(node: string): void {
    this.seen.delete(node)
  }
}
