// The ReplicaSet controller's decisions, pure: how many pods to create, which to delete, and the status.
// upstream: pkg/controller/replicaset/replica_set.go (manageReplicas), replica_set_utils.go
//           (calculateStatus), pkg/controller/controller_utils.go (ActivePods ranking)
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../../api/types.js'
import { isPodAvailable, isPodReady } from '../pod-util.js'

/** upstream BurstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500

/** What one sync should do. */
export interface ReplicaSetDiff {
  create: number
  remove: Pod[]
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 }

/**
 * Orders pods so the cheapest to lose come first: unscheduled < scheduled, Pending < Unknown < Running,
 * not ready < ready, more restarts first, newer < older (upstream ActivePods.Less).
 */
export function rankPodsForDeletion(pods: readonly Pod[]): Pod[] {
  const restarts = (p: Pod): number => (p.status?.containerStatuses ?? []).reduce((n, c) => Math.max(n, c.restartCount ?? 0), 0)
  return [...pods].sort((a, b) => {
    if (!!a.spec.nodeName !== !!b.spec.nodeName) return a.spec.nodeName ? 1 : -1
    const pa = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0
    const pb = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0
    if (pa !== pb) return pa - pb
    if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a)
    const ta = a.metadata.creationTimestamp ?? ''
    const tb = b.metadata.creationTimestamp ?? ''
    if (ta !== tb) return ta < tb ? 1 : -1
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1
  })
}

/** Pods to create or delete so that `active` (owned, active pods) matches spec.replicas. */
export function computeReplicaSetDiff(rs: ReplicaSet, active: readonly Pod[]): ReplicaSetDiff {
  const want = rs.spec.replicas ?? 1
  const diff = active.length - want
  if (diff < 0) return { create: Math.min(-diff, BURST_REPLICAS), remove: [] }
  if (diff > 0) return { create: 0, remove: rankPodsForDeletion(active).slice(0, Math.min(diff, BURST_REPLICAS)) }
  return { create: 0, remove: [] }
}

/** The status for the observed pods (all owned pods, `now` in ms for availability). */
export function calculateReplicaSetStatus(rs: ReplicaSet, active: readonly Pod[], terminating: number, now: number): ReplicaSetStatus {
  const templateLabels = rs.spec.template?.metadata?.labels ?? {}
  const min = rs.spec.minReadySeconds ?? 0
  let fully = 0
  let ready = 0
  let available = 0
  for (const p of active) {
    const labels = p.metadata.labels ?? {}
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fully++
    if (isPodReady(p)) {
      ready++
      if (isPodAvailable(p, min, now)) available++
    }
  }
  const status: ReplicaSetStatus = {
    replicas: active.length,
    fullyLabeledReplicas: fully,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation ?? 1,
  }
  if (terminating > 0) status.terminatingReplicas = terminating
  return status
}
