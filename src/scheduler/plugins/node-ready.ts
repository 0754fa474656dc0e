// Filters out nodes that are not Ready, and cordoned nodes unless the pod tolerates the
// unschedulable taint.
// upstream: pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
import type { NodeInfo, PodInfo } from '../node-info.js'
import { toleratesTaint } from '../../api/taints.js'
import { FITS, type FilterPlugin } from './types.js'

/** The reason given for a node whose Ready condition is not True (upstream's former CheckNodeCondition). */
export const ERR_NODE_NOT_READY = 'node(s) were not ready'
/** upstream ErrReasonUnschedulable. */
export const ERR_NODE_UNSCHEDULABLE = 'node(s) were unschedulable'

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const }

/** Node Ready=True and not cordoned. */
export const nodeReady: FilterPlugin = {
  name: 'NodeReady',
  filter(pod: PodInfo, ni: NodeInfo): readonly string[] {
    if (!ni.ready) return [ERR_NODE_NOT_READY]
    if (ni.unschedulable && !pod.tolerations.some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT))) return [ERR_NODE_UNSCHEDULABLE]
    return FITS
  },
}
