// Filters out nodes that are not Ready, and cordoned nodes unless the pod tolerates the
// unschedulable taint.
// upstream: pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
import type { NodeInfo, PodInfo } from '../node-info.js'
import { toleratesTaint } from './taint-toleration.js'
import type { FilterPlugin } from './types.js'

/** The reason given for a node whose Ready condition is not True (upstream's former CheckNodeCondition). */
export const ERR_NODE_NOT_READY = 'node(s) were not ready'
/** upstream ErrReasonUnschedulable. */
export const ERR_NODE_UNSCHEDULABLE = 'node(s) were unschedulable'

/** Node Ready=True and not cordoned. */
export const nodeReady: FilterPlugin = {
  name: 'NodeReady',
  filter(pod: PodInfo, ni: NodeInfo): string[] {
    const ready = ni.node.status?.conditions?.find((c) => c.type === 'Ready')
    if (ready?.status !== 'True') return [ERR_NODE_NOT_READY]
    if (ni.node.spec?.unschedulable) {
      const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const }
      if (!pod.tolerations.some((t) => toleratesTaint(t, taint))) return [ERR_NODE_UNSCHEDULABLE]
    }
    return []
  },
}
