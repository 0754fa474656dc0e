// Prefers nodes whose cpu and memory would be used in the same proportion after placing the pod.
// upstream: pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go (balancedResourceScorer)
import type { NodeInfo, PodInfo } from '../node-info.js'
import { MAX_NODE_SCORE, type ScorePlugin } from './types.js'

/** (1 − standard deviation of the used fractions) · 100; with two resources std = |a − b| / 2. */
export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(pod: PodInfo, ni: NodeInfo): number {
    const a = ni.allocatable
    if (a.milliCPU <= 0 || a.memory <= 0) return 0
    const cpu = Math.min(1, (ni.nonZeroRequested.milliCPU + pod.nonZero.milliCPU) / a.milliCPU)
    const mem = Math.min(1, (ni.nonZeroRequested.memory + pod.nonZero.memory) / a.memory)
    const std = Math.abs(cpu - mem) / 2
    return Math.floor((1 - std) * MAX_NODE_SCORE)
  },
}
