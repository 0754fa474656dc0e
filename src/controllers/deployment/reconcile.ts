// The Deployment controller's decisions, pure: which ReplicaSet is new, what to create, how each
// ReplicaSet scales this round, which old ones to delete, and the Deployment's status.
// upstream: pkg/controller/deployment/sync.go (getNewReplicaSet, cleanupDeployment, calculateStatus),
//           rolling.go (rolloutRolling), recreate.go (rolloutRecreate), progress.go (conditions)
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../api/types.js'
import { newControllerRef } from '../owner.js'
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH,
  REVISION_ANNOTATION,
  equalIgnoreHash,
  podTemplateHash,
} from './hash.js'
import { progressConditions } from './progress.js'
import { newRSReplicas, resolveFenceposts, scaleDownOld } from './rolling.js'

/** A change to an existing ReplicaSet. */
export interface ReplicaSetChange {
  name: string
  replicas?: number
  annotations?: Record<string, string>
  /** The Deployment's minReadySeconds, when the ReplicaSet's differs (upstream getNewReplicaSet). */
  minReadySeconds?: number
}

/** What one sync of a Deployment should write. */
export interface DeploymentPlan {
  create?: ReplicaSet
  updates: ReplicaSetChange[]
  deletes: string[]
  /** The revision the Deployment's annotation should carry. */
  revision: string
  status: DeploymentStatus
  /** Sync again after this many ms to notice the progress deadline passing. */
  requeueAfterMs?: number
}

const revisionOf = (rs: ReplicaSet): number => Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) || 0

/** The ReplicaSet whose template equals the Deployment's (ignoring the hash label), oldest first on ties. */
export function findNewReplicaSet(d: Deployment, owned: readonly ReplicaSet[]): ReplicaSet | undefined {
  const matches = owned.filter((rs) => equalIgnoreHash(rs.spec.template, d.spec.template))
  matches.sort((a, b) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1))
  return matches[0]
}

/** The ReplicaSet a Deployment creates for its current template, with `replicas`. */
export function newReplicaSetFor(d: Deployment, replicas: number, revision: number): ReplicaSet {
  const hash = podTemplateHash(d.spec.template, d.status?.collisionCount)
  const template = structuredClone(d.spec.template)
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } }
  const { maxSurge } = resolveFenceposts(d)
  const desired = d.spec.replicas ?? 1
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(d.spec.template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash },
      annotations: {
        [REVISION_ANNOTATION]: String(revision),
        [DESIRED_REPLICAS_ANNOTATION]: String(desired),
        [MAX_REPLICAS_ANNOTATION]: String(desired + (d.spec.strategy?.type === 'Recreate' ? 0 : maxSurge)),
      },
      ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
    },
    spec: {
      replicas,
      minReadySeconds: d.spec.minReadySeconds ?? 0,
      selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash } },
      template,
    },
  }
}

/** Plans one sync of a Deployment from the ReplicaSets it owns (active ones, not being deleted). */
export function planDeployment(d: Deployment, owned: readonly ReplicaSet[], now: number): DeploymentPlan {
  const desired = d.spec.replicas ?? 1
  const newRS = findNewReplicaSet(d, owned)
  const old = owned.filter((rs) => rs !== newRS)
  const maxOld = old.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0)
  const plan: DeploymentPlan = { updates: [], deletes: [], revision: String(newRS && revisionOf(newRS) > maxOld ? revisionOf(newRS) : maxOld + 1), status: {} }
  const { maxSurge } = resolveFenceposts(d)
  const recreate = d.spec.strategy?.type === 'Recreate'
  const wantAnnotations = {
    [REVISION_ANNOTATION]: plan.revision,
    [DESIRED_REPLICAS_ANNOTATION]: String(desired),
    [MAX_REPLICAS_ANNOTATION]: String(desired + (recreate ? 0 : maxSurge)),
  }
  if (!d.spec.paused) {
    if (recreate) planRecreate(d, newRS, old, plan)
    else planRolling(d, newRS, old, plan)
  }
  if (newRS) {
    const ann = newRS.metadata.annotations ?? {}
    const change = (): ReplicaSetChange => {
      let u = plan.updates.find((x) => x.name === newRS.metadata.name)
      if (!u) plan.updates.push((u = { name: newRS.metadata.name! }))
      return u
    }
    if (Object.entries(wantAnnotations).some(([k, v]) => ann[k] !== v)) change().annotations = wantAnnotations
    // Availability of the new pods follows the Deployment's minReadySeconds as it changes.
    const minReady = d.spec.minReadySeconds ?? 0
    if ((newRS.spec.minReadySeconds ?? 0) !== minReady) change().minReadySeconds = minReady
  }
  plan.deletes = cleanupOld(d, old)
  const { status, requeueAfterMs } = calculateStatusAndRequeue(d, newRS, owned, now, plan.create !== undefined)
  plan.status = status
  if (requeueAfterMs !== undefined) plan.requeueAfterMs = requeueAfterMs
  return plan
}

function planRolling(d: Deployment, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[], plan: DeploymentPlan): void {
  if (!newRS) {
    plan.create = newReplicaSetFor(d, newRSReplicas(d, old, undefined), Number(plan.revision))
    return
  }
  const target = newRSReplicas(d, [newRS, ...old], newRS)
  if (target !== (newRS.spec.replicas ?? 0)) {
    plan.updates.push({ name: newRS.metadata.name!, replicas: target })
    // upstream returns after scaling up; the old ones shrink on the next sync once pods are available.
    if (target > (newRS.spec.replicas ?? 0)) return
  }
  for (const [name, replicas] of scaleDownOld(d, newRS, old)) plan.updates.push({ name, replicas })
}

function planRecreate(d: Deployment, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[], plan: DeploymentPlan): void {
  const desired = d.spec.replicas ?? 1
  const scaling = old.filter((rs) => (rs.spec.replicas ?? 0) > 0)
  for (const rs of scaling) plan.updates.push({ name: rs.metadata.name!, replicas: 0 })
  // Only when every old pod is gone may the new ones start (upstream oldPodsRunning).
  const oldRunning = old.some((rs) => (rs.status?.replicas ?? 0) > 0)
  if (scaling.length > 0 || oldRunning) {
    if (!newRS) plan.create = newReplicaSetFor(d, 0, Number(plan.revision))
    return
  }
  if (!newRS) plan.create = newReplicaSetFor(d, desired, Number(plan.revision))
  else if ((newRS.spec.replicas ?? 0) !== desired) plan.updates.push({ name: newRS.metadata.name!, replicas: desired })
}

/** Old ReplicaSets scaled to zero beyond revisionHistoryLimit (default 10), oldest first. */
function cleanupOld(d: Deployment, old: readonly ReplicaSet[]): string[] {
  const limit = d.spec.revisionHistoryLimit ?? 10
  const idle = old.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0)
  if (idle.length <= limit) return []
  idle.sort((a, b) => revisionOf(a) - revisionOf(b))
  return idle.slice(0, idle.length - limit).map((rs) => rs.metadata.name!)
}

/** The Deployment's status from its ReplicaSets: counts and the Available/Progressing conditions. */
export function calculateStatus(d: Deployment, newRS: ReplicaSet | undefined, all: readonly ReplicaSet[], now: number, created: boolean): DeploymentStatus {
  return calculateStatusAndRequeue(d, newRS, all, now, created).status
}

/** calculateStatus, plus when to sync again for the progress deadline. */
export function calculateStatusAndRequeue(d: Deployment, newRS: ReplicaSet | undefined, all: readonly ReplicaSet[], now: number, created: boolean): { status: DeploymentStatus; requeueAfterMs?: number } {
  const sum = (f: (rs: ReplicaSet) => number | undefined): number => all.reduce((n, rs) => n + (f(rs) ?? 0), 0)
  const replicas = sum((rs) => rs.status?.replicas)
  const available = sum((rs) => rs.status?.availableReplicas)
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas,
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum((rs) => rs.spec.replicas) - available),
  }
  if (d.status?.collisionCount) status.collisionCount = d.status.collisionCount
  const { maxUnavailable } = resolveFenceposts(d)
  const progress = progressConditions(d, newRS, status, maxUnavailable, now, created)
  status.conditions = progress.conditions
  return { status, requeueAfterMs: progress.requeueAfterMs }
}
