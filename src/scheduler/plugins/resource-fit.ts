// Filters out nodes without room for the pod's requests: allocatable minus what bound pods request.
// upstream: pkg/scheduler/framework/plugins/noderesources/fit.go (fitsRequest)
import type { NodeInfo, PodInfo } from '../node-info.js'
import type { FilterPlugin } from './types.js'

/** Pods count first, then cpu and memory, each with upstream's reason text. */
export const resourceFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod: PodInfo, ni: NodeInfo): string[] {
    const out: string[] = []
    const alloc = ni.allocatable
    if (ni.pods.size + 1 > alloc.pods) out.push('Too many pods')
    const r = pod.requests
    if (r.milliCPU > 0 && r.milliCPU > alloc.milliCPU - ni.requested.milliCPU) out.push('Insufficient cpu')
    if (r.memory > 0 && r.memory > alloc.memory - ni.requested.memory) out.push('Insufficient memory')
    return out
  },
}
