// The default profile: filters in upstream's order, then the scores.
import { hostPorts } from './host-ports.js'
import { nodeAffinity } from './node-affinity.js'
import { nodeReady } from './node-ready.js'
import { resourceFit } from './resource-fit.js'
import { taintToleration } from './taint-toleration.js'
import { balancedAllocation } from './balanced-allocation.js'
import { leastAllocated } from './least-allocated.js'
import { spreadByOwner } from './spread-by-owner.js'
import type { FilterPlugin, ScorePlugin } from './types.js'

/** Which plugins a scheduling cycle runs. */
export interface Profile {
  filters: FilterPlugin[]
  scores: ScorePlugin[]
}

/** upstream's default filter order (NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit). */
export const DEFAULT_PROFILE: Profile = {
  filters: [nodeReady, taintToleration, nodeAffinity, hostPorts, resourceFit],
  scores: [leastAllocated, balancedAllocation, spreadByOwner],
}
