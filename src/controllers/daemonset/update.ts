// DaemonSet updates, pure: which pods run the current template (the `controller-revision-hash`
// label), and under RollingUpdate which old pods to delete now so that at most maxUnavailable nodes
// are without an available daemon; the manage step then recreates them from the new template.
// OnDelete replaces nothing: a pod takes the new template only when someone deletes it.
// upstream: pkg/controller/daemon/update.go (rollingUpdate, the maxSurge == 0 branch; findUpdatedPodsOnNode),
//           pkg/controller/daemon/util/daemonset_util.go (IsPodUpdated),
//           pkg/controller/history/controller_history.go (ControllerRevisionHashLabel)
import type { DaemonSet, Pod } from '../../api/types.js'
import { podTemplateHash } from '../deployment/hash.js'
import { isPodAvailable } from '../pod-util.js'
import { scaledValue } from '../deployment/rolling.js'

/** The label upstream puts on daemon pods (and ControllerRevisions) naming the template's hash. */
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash'

/** The hash of the DaemonSet's current template (upstream ComputeHash of the template + collisionCount). */
export function daemonSetHash(ds: DaemonSet): string {
  return podTemplateHash(ds.spec.template, ds.status?.collisionCount)
}

/** True when the pod was made from the template with this hash (upstream IsPodUpdated, by label). */
export function isPodUpdated(p: Pod, hash: string): boolean {
  return p.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash
}

/** maxUnavailable of a RollingUpdate DaemonSet as a number of nodes (default 1; percentages round up, at least 1 when surge is 0). */
export function daemonMaxUnavailable(ds: DaemonSet, desiredNodes: number): number {
  const v = scaledValue(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable, desiredNodes, true, '1')
  // upstream: maxUnavailable 0 with maxSurge 0 would never progress, so it becomes 1.
  return v === 0 ? 1 : v
}

/**
 * Old pods to delete this round under RollingUpdate. `kept` maps each node the DaemonSet should run on
 * to its one active pod (nodes still waiting for a pod are absent). Unavailable old pods always go;
 * available ones only while fewer than maxUnavailable nodes lack an available pod.
 */
export function rollingUpdateDeletions(ds: DaemonSet, kept: ReadonlyMap<string, Pod>, desiredNodes: number, hash: string, now: number): Pod[] {
  if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return []
  const minReady = ds.spec.minReadySeconds ?? 0
  const maxUnavailable = daemonMaxUnavailable(ds, desiredNodes)
  // Nodes that should run a daemon but have no pod yet are already unavailable.
  let numUnavailable = desiredNodes - kept.size
  const replaceNow: Pod[] = []
  const candidates: Pod[] = []
  // Node order makes the choice deterministic (upstream iterates a map).
  for (const node of [...kept.keys()].sort()) {
    const p = kept.get(node)!
    const available = isPodAvailable(p, minReady, now) && p.status?.phase !== 'Failed'
    if (isPodUpdated(p, hash)) {
      if (!available) numUnavailable++
    } else if (!available) replaceNow.push(p)
    else if (numUnavailable < maxUnavailable) candidates.push(p)
  }
  const room = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length)
  return [...replaceNow, ...candidates.slice(0, room)]
}
