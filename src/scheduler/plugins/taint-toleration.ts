// Filters out nodes with a NoSchedule/NoExecute taint the pod does not tolerate.
// upstream: pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go,
//           staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint)
import { findUntoleratedTaint } from '../../api/taints.js'
import type { NodeInfo, PodInfo } from '../node-info.js'
import { FITS, type FilterPlugin } from './types.js'

/** NoSchedule and NoExecute taints must be tolerated. */
export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(pod: PodInfo, ni: NodeInfo): readonly string[] {
    if (ni.blockingTaints.length === 0) return FITS
    const taint = findUntoleratedTaint(ni.blockingTaints, pod.tolerations)
    return taint ? [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`] : FITS
  },
}
