// Filters out nodes with a NoSchedule/NoExecute taint the pod does not tolerate.
// upstream: pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go,
//           staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint)
import type { Taint, Toleration } from '../../api/types.js'
import type { NodeInfo, PodInfo } from '../node-info.js'
import type { FilterPlugin } from './types.js'

/** True when the toleration matches the taint (key, operator, value, effect) as upstream's ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  // An empty key with Exists tolerates everything.
  if (!t.key && t.operator !== 'Exists') return false
  if (t.operator === 'Exists') return true
  return (t.value ?? '') === (taint.value ?? '')
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function findUntoleratedTaint(taints: Taint[] | undefined, tolerations: Toleration[], effects: string[]): Taint | undefined {
  return (taints ?? []).find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => toleratesTaint(t, taint)))
}

/** NoSchedule and NoExecute taints must be tolerated. */
export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(pod: PodInfo, ni: NodeInfo): string[] {
    const taint = findUntoleratedTaint(ni.node.spec?.taints, pod.tolerations, ['NoSchedule', 'NoExecute'])
    return taint ? [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`] : []
  },
}
