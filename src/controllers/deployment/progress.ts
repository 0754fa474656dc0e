// The Deployment's Available and Progressing conditions, pure: whether the rollout completed, made
// progress since the last sync, or has been stuck beyond spec.progressDeadlineSeconds, and when the
// controller must look again to notice a deadline passing without any event.
// upstream: pkg/controller/deployment/progress.go (syncRolloutStatus, requeueStuckDeployment),
//           sync.go (getNewReplicaSet conditions, checkPausedConditions),
//           util/deployment_util.go (DeploymentComplete, DeploymentProgressing, DeploymentTimedOut,
//           SetDeploymentCondition, reason constants)
import { rfc3339 } from '../../api/object.js'
import type { Deployment, DeploymentStatus, ReplicaSet, WorkloadCondition } from '../../api/types.js'

/** upstream NewReplicaSetReason: the controller created the ReplicaSet for the current template. */
export const NEW_RS_CREATED = 'NewReplicaSetCreated'
/** upstream FoundNewRSReason: the ReplicaSet for the current template already existed. */
export const FOUND_NEW_RS = 'FoundNewReplicaSet'
/** upstream ReplicaSetUpdatedReason: the rollout made progress. */
export const RS_UPDATED = 'ReplicaSetUpdated'
/** upstream NewRSAvailableReason: the rollout completed. */
export const NEW_RS_AVAILABLE = 'NewReplicaSetAvailable'
/** upstream TimedOutReason: no progress within progressDeadlineSeconds (status False). */
export const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded'
/** upstream PausedDeployReason (status Unknown). */
export const DEPLOYMENT_PAUSED = 'DeploymentPaused'
/** upstream ResumedDeployReason (status Unknown). */
export const DEPLOYMENT_RESUMED = 'DeploymentResumed'
/** spec.progressDeadlineSeconds when the object does not say (the API default). */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600

/** The conditions and, while a deadline is pending, how long until it must be checked again. */
export interface ProgressResult {
  conditions: WorkloadCondition[]
  /** ms until the progress deadline would pass; undefined when nothing is pending. */
  requeueAfterMs?: number
}

const MAX_INT32 = 2147483647

function cond(type: string, status: WorkloadCondition['status'], reason: string, message: string, ts: string): WorkloadCondition {
  return { type, status, lastUpdateTime: ts, lastTransitionTime: ts, reason, message }
}

/** upstream SetDeploymentCondition: same status and reason → unchanged; same status → keeps lastTransitionTime. */
export function setCondition(conds: readonly WorkloadCondition[], c: WorkloadCondition): WorkloadCondition[] {
  const cur = conds.find((x) => x.type === c.type)
  if (cur && cur.status === c.status && cur.reason === c.reason) return [...conds]
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime
  return [...conds.filter((x) => x.type !== c.type), c]
}

/** The deadline in seconds, or undefined when the Deployment has none (upstream HasProgressDeadline). */
export function progressDeadlineSeconds(d: Deployment): number | undefined {
  const s = d.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS
  return s === MAX_INT32 ? undefined : s
}

/** Every replica is updated and available and the status is current (upstream DeploymentComplete). */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const desired = d.spec.replicas ?? 1
  return s.updatedReplicas === desired && s.replicas === desired && s.availableReplicas === desired && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1)
}

/** More updated, ready or available pods, or fewer old ones, than the last status (upstream DeploymentProgressing). */
export function deploymentProgressing(old: DeploymentStatus | undefined, s: DeploymentStatus): boolean {
  const o = old ?? {}
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0)
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0)
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0)
}

/** The Progressing condition is older than the deadline at `now` (upstream DeploymentTimedOut). */
export function deploymentTimedOut(d: Deployment, progressing: WorkloadCondition | undefined, now: number): boolean {
  const deadline = progressDeadlineSeconds(d)
  if (deadline === undefined || !progressing) return false
  if (progressing.reason === NEW_RS_AVAILABLE) return false
  if (progressing.reason === PROGRESS_DEADLINE_EXCEEDED) return true
  const from = Date.parse(progressing.lastUpdateTime ?? '')
  return Number.isFinite(from) && from + deadline * 1000 < now
}

/**
 * The Available and Progressing conditions for `status` (counts already computed), given the
 * Deployment as last written, its new ReplicaSet and whether this sync creates it.
 */
export function progressConditions(d: Deployment, newRS: ReplicaSet | undefined, status: DeploymentStatus, maxUnavailable: number, now: number, created: boolean): ProgressResult {
  const ts = rfc3339(now)
  const desired = d.spec.replicas ?? 1
  let conds: WorkloadCondition[] = [...(d.status?.conditions ?? [])]
  conds = setCondition(
    conds,
    (status.availableReplicas ?? 0) >= desired - maxUnavailable
      ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', ts)
      : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', ts),
  )
  const deadline = progressDeadlineSeconds(d)
  const progressingOf = (): WorkloadCondition | undefined => conds.find((c) => c.type === 'Progressing')
  // upstream checkPausedConditions: a paused rollout cannot time out; say so instead.
  if (d.spec.paused) {
    if (deadline !== undefined && progressingOf()?.reason !== DEPLOYMENT_PAUSED) conds = setCondition(conds, cond('Progressing', 'Unknown', DEPLOYMENT_PAUSED, 'Deployment is paused', ts))
    return { conditions: conds }
  }
  if (deadline !== undefined && progressingOf()?.reason === DEPLOYMENT_PAUSED) conds = setCondition(conds, cond('Progressing', 'Unknown', DEPLOYMENT_RESUMED, 'Deployment is resumed', ts))
  if (deadline === undefined) return { conditions: conds.filter((c) => c.type !== 'Progressing') }
  const rsName = newRS?.metadata.name ?? ''
  // upstream getNewReplicaSet: creating the new ReplicaSet, or finding it with no condition yet.
  if (created) conds = [...conds.filter((c) => c.type !== 'Progressing'), cond('Progressing', 'True', NEW_RS_CREATED, `Created new replica set "${rsName}"`, ts)]
  else if (newRS && !progressingOf()) conds = setCondition(conds, cond('Progressing', 'True', FOUND_NEW_RS, `Found new replica set "${rsName}"`, ts))
  // upstream syncRolloutStatus.
  const current = progressingOf()
  const isComplete = status.replicas === status.updatedReplicas && current?.reason === NEW_RS_AVAILABLE
  if (!isComplete && newRS) {
    if (deploymentComplete(d, status)) {
      conds = setCondition(conds, cond('Progressing', 'True', NEW_RS_AVAILABLE, `ReplicaSet "${rsName}" has successfully progressed.`, ts))
    } else if (deploymentProgressing(d.status, status)) {
      // Progress refreshes lastUpdateTime even with the same reason (the deadline counts from it).
      const c = cond('Progressing', 'True', RS_UPDATED, `ReplicaSet "${rsName}" is progressing.`, ts)
      if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime
      conds = [...conds.filter((x) => x.type !== 'Progressing'), c]
    } else if (deploymentTimedOut(d, current, now)) {
      conds = setCondition(conds, cond('Progressing', 'False', PROGRESS_DEADLINE_EXCEEDED, `ReplicaSet "${rsName}" has timed out progressing.`, ts))
    }
  }
  // Keep upstream's order: Available before Progressing.
  conds.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0))
  return { conditions: conds, requeueAfterMs: requeueAfter(d, conds, status, now) }
}

// upstream requeueStuckDeployment: without it a stuck rollout would never be noticed, as no event comes.
function requeueAfter(d: Deployment, conds: readonly WorkloadCondition[], status: DeploymentStatus, now: number): number | undefined {
  const deadline = progressDeadlineSeconds(d)
  const c = conds.find((x) => x.type === 'Progressing')
  if (deadline === undefined || !c || c.reason === PROGRESS_DEADLINE_EXCEEDED || c.reason === NEW_RS_AVAILABLE) return undefined
  if (deploymentComplete(d, status)) return undefined
  const from = Date.parse(c.lastUpdateTime ?? '')
  if (!Number.isFinite(from)) return undefined
  // One ms past the deadline, since timing out needs the deadline to be strictly in the past.
  return Math.max(0, from + deadline * 1000 - now) + 1
}
