// Prefers nodes with the most free cpu and memory after placing the pod.
// upstream: pkg/scheduler/framework/plugins/noderesources/least_allocated.go
import type { NodeInfo, PodInfo } from '../node-info.js'
import { MAX_NODE_SCORE, type ScorePlugin } from './types.js'

function free(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0
  return ((capacity - requested) * MAX_NODE_SCORE) / capacity
}

/** Mean of (capacity − requested)/capacity over cpu and memory, 0..100. */
export const leastAllocated: ScorePlugin = {
  name: 'NodeResourcesLeastAllocated',
  weight: 1,
  score(pod: PodInfo, ni: NodeInfo): number {
    const cpu = free(ni.nonZeroRequested.milliCPU + pod.nonZero.milliCPU, ni.allocatable.milliCPU)
    const mem = free(ni.nonZeroRequested.memory + pod.nonZero.memory, ni.allocatable.memory)
    return Math.floor((cpu + mem) / 2)
  },
}
