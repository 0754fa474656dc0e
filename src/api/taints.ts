// Taint/toleration matching, pure and shared: the scheduler's TaintToleration filter, the DaemonSet
// controller (which must reach the scheduler's answer without importing the scheduler) and the node
// lifecycle controller's NoExecute eviction all ask the same question.
// upstream: staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint),
//           staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go (FindMatchingUntoleratedTaint)
import type { Node, Taint, Toleration } from './types.js'

/** The taint effects that keep a pod off a node (PreferNoSchedule only lowers a score). */
export const BLOCKING_TAINT_EFFECTS: readonly string[] = ['NoSchedule', 'NoExecute']

/** True when the toleration matches the taint by key, operator, value and effect (upstream ToleratesTaint). */
export function toleratesTaint(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  // An empty effect matches every effect.
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  // An empty key is only valid with Exists, where it tolerates every taint.
  if (!t.key && t.operator !== 'Exists') return false
  if (t.operator === 'Exists') return true
  // operator Equal (the default when absent).
  return (t.value ?? '') === (taint.value ?? '')
}

/** The first taint with one of `effects` that no toleration tolerates, or undefined. */
export function findUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, effects: readonly string[] = BLOCKING_TAINT_EFFECTS): Taint | undefined {
  const tols = tolerations ?? []
  return (taints ?? []).find((taint) => effects.includes(taint.effect) && !tols.some((t) => toleratesTaint(t, taint)))
}

/** True when every NoSchedule/NoExecute taint of the node is tolerated. */
export function toleratesNode(tolerations: readonly Toleration[] | undefined, node: Node): boolean {
  return findUntoleratedTaint(node.spec?.taints, tolerations) === undefined
}
