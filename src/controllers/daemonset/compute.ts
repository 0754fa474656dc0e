// The DaemonSet controller's decisions, pure: which nodes should run a daemon pod, which pods to
// create (pinned to their node by node affinity) and delete, and the status.
// upstream: pkg/controller/daemon/daemon_controller.go (podsShouldBeOnNode, syncNodes, updateDaemonSetStatus),
//           pkg/controller/daemon/util/daemonset_util.go (AddOrUpdateDaemonPodTolerations,
//           ReplaceDaemonSetPodNodeNameNodeAffinity)
import type { DaemonSet, DaemonSetStatus, Node, Pod, PodSpec, Toleration } from '../../api/types.js'
import { toleratesNode } from '../../api/taints.js'
import { specMatchesNode } from '../node-match.js'
import { isPodAvailable, isPodReady } from '../pod-util.js'
import { daemonSetHash, isPodUpdated, rollingUpdateDeletions } from './update.js'

/** The tolerations every daemon pod gets, so daemons survive node problems (upstream's list). */
export const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
]

/** The template's tolerations plus the daemon ones it lacks. */
export function daemonTolerations(spec: PodSpec): Toleration[] {
  const out = [...(spec.tolerations ?? [])]
  for (const t of DAEMON_TOLERATIONS) if (!out.some((x) => x.key === t.key && x.effect === t.effect)) out.push(t)
  return out
}

/** True when the DaemonSet's pod should run on the node (selector, affinity, taints). */
export function shouldRunOnNode(ds: DaemonSet, node: Node): boolean {
  const spec = ds.spec.template.spec
  return specMatchesNode(spec, node) && toleratesNode(daemonTolerations(spec), node)
}

/** The pod spec for one node: required node affinity on metadata.name replaces any other node affinity. */
export function daemonPodSpec(ds: DaemonSet, nodeName: string): PodSpec {
  const spec = structuredClone(ds.spec.template.spec)
  spec.tolerations = daemonTolerations(spec)
  spec.affinity = {
    ...(spec.affinity ?? {}),
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } },
  }
  return spec
}

/** The node a daemon pod is for: its nodeName, or the node its affinity pins it to while pending. */
export function daemonPodNode(p: Pod): string | undefined {
  if (p.spec.nodeName) return p.spec.nodeName
  const terms = p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0]
  return undefined
}

/** What one sync should do. */
export interface DaemonSetPlan {
  createOn: string[]
  remove: Pod[]
  status: DaemonSetStatus
  /** The current template's hash, for the controller-revision-hash label of new pods. */
  hash: string
}

/** Plans creates/deletes so each eligible node has exactly one active daemon pod, and computes status. */
export function planDaemonSet(ds: DaemonSet, nodes: readonly Node[], active: readonly Pod[], now: number): DaemonSetPlan {
  const byNode = new Map<string, Pod[]>()
  for (const p of active) {
    const n = daemonPodNode(p)
    if (!n) continue
    const list = byNode.get(n) ?? []
    list.push(p)
    byNode.set(n, list)
  }
  const hash = daemonSetHash(ds)
  const plan: DaemonSetPlan = { createOn: [], remove: [], status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }, hash }
  const s = plan.status
  const names = new Set(nodes.map((n) => n.metadata.name!))
  const kept = new Map<string, Pod>()
  let available = 0
  let updated = 0
  for (const node of nodes) {
    const name = node.metadata.name!
    const pods = byNode.get(name) ?? []
    const should = shouldRunOnNode(ds, node)
    if (should) {
      s.desiredNumberScheduled++
      if (pods.length === 0) plan.createOn.push(name)
      else {
        // Keep the oldest, delete duplicates (upstream keeps the oldest too).
        const sorted = [...pods].sort((a, b) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1))
        plan.remove.push(...sorted.slice(1))
        const keep = sorted[0]!
        kept.set(name, keep)
        if (keep.spec.nodeName) s.currentNumberScheduled++
        if (keep.spec.nodeName && isPodUpdated(keep, hash)) updated++
        if (isPodReady(keep)) s.numberReady++
        if (isPodAvailable(keep, ds.spec.minReadySeconds ?? 0, now)) available++
      }
    } else if (pods.length > 0) {
      if (pods.some((p) => p.spec.nodeName)) s.numberMisscheduled++
      plan.remove.push(...pods)
    }
  }
  // Pods for nodes that no longer exist.
  for (const [n, pods] of byNode) if (!names.has(n)) plan.remove.push(...pods)
  // Only once every node has its one pod does the rollout replace old ones (upstream: manage, then update).
  if (plan.createOn.length === 0 && plan.remove.length === 0) plan.remove.push(...rollingUpdateDeletions(ds, kept, s.desiredNumberScheduled, hash, now))
  plan.createOn.sort()
  s.numberAvailable = available
  s.numberUnavailable = s.desiredNumberScheduled - available
  s.updatedNumberScheduled = updated
  s.observedGeneration = ds.metadata.generation ?? 1
  return plan
}
