// The rollout arithmetic, pure: how far the new ReplicaSet may grow and the old ones shrink under
// maxSurge and maxUnavailable, and how Recreate and plain scaling move.
// upstream: pkg/controller/deployment/rolling.go (reconcileNewReplicaSet, reconcileOldReplicaSets,
//           cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate),
//           pkg/controller/deployment/util/deployment_util.go (ResolveFenceposts, NewRSNewReplicas)
import type { Deployment, IntOrString, ReplicaSet } from '../../api/types.js'

/** An int or a percentage of total; percentages round up (surge) or down (unavailable). */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean, dflt: string): number {
  const x = v ?? dflt
  if (typeof x === 'number') return x
  const m = /^(\d+)%$/.exec(x)
  if (!m) {
    if (/^\d+$/.test(x)) return Number(x)
    throw new Error(`invalid value "${x}": must be an integer or a percentage like "25%"`)
  }
  const f = (Number(m[1]) * total) / 100
  return roundUp ? Math.ceil(f) : Math.floor(f)
}

/** maxSurge and maxUnavailable as numbers; both 0 would deadlock, so maxUnavailable becomes 1 (upstream). */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const desired = d.spec.replicas ?? 1
  const ru = d.spec.strategy?.type === 'Recreate' ? undefined : d.spec.strategy?.rollingUpdate
  const maxSurge = scaledValue(ru?.maxSurge, desired, true, '25%')
  let maxUnavailable = scaledValue(ru?.maxUnavailable, desired, false, '25%')
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, desired) }
}

const specReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 0
const available = (rs: ReplicaSet): number => rs.status?.availableReplicas ?? 0

/** The replicas the new ReplicaSet should have now during a rolling update. */
export function newRSReplicas(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const desired = d.spec.replicas ?? 1
  const cur = newRS ? specReplicas(newRS) : 0
  if (cur >= desired) return desired
  const { maxSurge } = resolveFenceposts(d)
  const allPods = all.reduce((n, rs) => n + specReplicas(rs), 0)
  const maxTotal = desired + maxSurge
  if (allPods >= maxTotal) return cur
  return cur + Math.min(maxTotal - allPods, desired - cur)
}

/**
 * New spec.replicas for each old ReplicaSet (by name) during a rolling update: first the unhealthy
 * pods, then available ones, never taking the available total below desired − maxUnavailable.
 */
export function scaleDownOld(d: Deployment, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[]): Map<string, number> {
  const out = new Map<string, number>()
  const desired = d.spec.replicas ?? 1
  const oldPods = old.reduce((n, rs) => n + specReplicas(rs), 0)
  if (oldPods === 0) return out
  const all = newRS ? [newRS, ...old] : [...old]
  const allPods = all.reduce((n, rs) => n + specReplicas(rs), 0)
  const { maxUnavailable } = resolveFenceposts(d)
  const minAvailable = desired - maxUnavailable
  const newUnavailable = newRS ? specReplicas(newRS) - available(newRS) : 0
  let maxScaledDown = allPods - minAvailable - newUnavailable
  if (maxScaledDown <= 0) return out
  // Oldest first (by creation, then name), as upstream's ReplicaSetsByCreationTimestamp.
  const sorted = [...old].sort((a, b) => {
    const ta = a.metadata.creationTimestamp ?? ''
    const tb = b.metadata.creationTimestamp ?? ''
    return ta !== tb ? (ta < tb ? -1 : 1) : (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1
  })
  const replicas = new Map(sorted.map((rs) => [rs.metadata.name!, specReplicas(rs)]))
  // cleanupUnhealthyReplicas: pods that are not available cost nothing to remove.
  for (const rs of sorted) {
    if (maxScaledDown <= 0) break
    const cur = replicas.get(rs.metadata.name!)!
    const unhealthy = cur - available(rs)
    if (unhealthy <= 0) continue
    const n = Math.min(maxScaledDown, unhealthy)
    replicas.set(rs.metadata.name!, cur - n)
    maxScaledDown -= n
  }
  // scaleDownOldReplicaSetsForRollingUpdate: then available pods, keeping minAvailable.
  const availableTotal = all.reduce((n, rs) => n + available(rs), 0)
  let budget = availableTotal - minAvailable
  for (const rs of sorted) {
    if (budget <= 0) break
    const cur = replicas.get(rs.metadata.name!)!
    const n = Math.min(cur, budget)
    replicas.set(rs.metadata.name!, cur - n)
    budget -= n
  }
  for (const rs of sorted) {
    const v = replicas.get(rs.metadata.name!)!
    if (v !== specReplicas(rs)) out.set(rs.metadata.name!, v)
  }
  return out
}
