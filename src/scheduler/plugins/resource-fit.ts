// Filters out nodes without room for the pod's requests: allocatable minus what bound pods request.
// upstream: pkg/scheduler/framework/plugins/noderesources/fit.go (fitsRequest)
import type { NodeInfo, PodInfo } from '../node-info.js'
import { FITS, type FilterPlugin } from './types.js'

/** Pods count first, then cpu and memory, each with upstream's reason text. */
export const resourceFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod: PodInfo, ni: NodeInfo): readonly string[] {
    const alloc = ni.allocatable
    const r = pod.requests
    const tooMany = ni.pods.size + 1 > alloc.pods
    const cpu = r.milliCPU > 0 && r.milliCPU > alloc.milliCPU - ni.requested.milliCPU
    const mem = r.memory > 0 && r.memory > alloc.memory - ni.requested.memory
    // The common case (it fits) allocates nothing.
    if (!tooMany && !cpu && !mem) return FITS
    const out: string[] = []
    if (tooMany) out.push('Too many pods')
    if (cpu) out.push('Insufficient cpu')
    if (mem) out.push('Insufficient memory')
    return out
  },
}
