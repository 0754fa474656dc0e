// One scheduling cycle, pure: the pod and a snapshot of nodes in, a node name or the reason nothing
// fits out. No I/O, no clock; randomness (tie breaks) comes from an injected Rng.
// upstream: pkg/scheduler/schedule_one.go (schedulePod, findNodesThatFitPod, numFeasibleNodesToFind,
//           prioritizeNodes, selectHost), framework/types.go (FitError.Error)
import type { Rng } from '../base/rng.js'
import type { NodeInfo, PodInfo } from './node-info.js'
import { DEFAULT_PROFILE, type Profile } from './plugins/index.js'

/** Inputs of schedulePod beyond the pod and nodes. */
export interface ScheduleOptions {
  profile?: Profile
  /** Where to start scanning nodes (upstream rotates it so every node gets looked at). */
  startIndex?: number
  /** Tie break among the best nodes; without it the first best wins. */
  rng?: Rng
  /** Upstream's percentageOfNodesToScore; 0 = adaptive (default), 100 = every node. */
  percentageOfNodesToScore?: number
}

/** The pod fits on `node`. */
export interface Scheduled {
  node: string
  /** Nodes the filters ran on (the scan stops after enough feasible nodes). */
  evaluated: number
  feasible: number
}

/** Nothing fits; `message` is upstream's FitError text, `reasons` its histogram. */
export interface Unschedulable {
  unschedulable: string
  reasons: Record<string, number>
}

/** The result of one cycle. */
export type ScheduleResult = Scheduled | Unschedulable

/** upstream minFeasibleNodesToFind. */
const MIN_FEASIBLE_NODES = 100
/** upstream minFeasibleNodesPercentageToFind. */
const MIN_FEASIBLE_PERCENT = 5

/** How many feasible nodes to find before scoring (upstream numFeasibleNodesToFind). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES || percentage >= 100) return numAllNodes
  let pct = percentage
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_PERCENT, 50 - Math.floor(numAllNodes / 125))
  const n = Math.floor((numAllNodes * pct) / 100)
  return Math.max(n, MIN_FEASIBLE_NODES)
}

/**
 * The FitError message: `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's
 * node affinity/selector.` — "count reason" strings sorted as strings, as upstream's sort.Strings.
 */
export function fitErrorMessage(numAllNodes: number, reasons: Record<string, number>): string {
  if (numAllNodes === 0) return 'no nodes available to schedule pods'
  const parts = Object.entries(reasons).map(([reason, n]) => `${n} ${reason}`)
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return `0/${numAllNodes} nodes are available: ${parts.join(', ')}.`
}

/** Filters, then scores, then picks the best node for the pod. */
export function schedulePod(pod: PodInfo, nodes: readonly NodeInfo[], opts: ScheduleOptions = {}): ScheduleResult {
  const profile = opts.profile ?? DEFAULT_PROFILE
  const n = nodes.length
  const want = numFeasibleNodesToFind(n, opts.percentageOfNodesToScore)
  const start = n === 0 ? 0 : (((opts.startIndex ?? 0) % n) + n) % n
  const feasible: NodeInfo[] = []
  const reasons: Record<string, number> = {}
  let evaluated = 0
  // PreFilter: plugins that pass every node for this pod are not called per node.
  const filters = profile.filters.filter((f) => !f.skip?.(pod))
  for (let i = 0; i < n && feasible.length < want; i++) {
    const ni = nodes[(start + i) % n]!
    evaluated++
    let failed: readonly string[] = []
    for (let j = 0; j < filters.length; j++) {
      failed = filters[j]!.filter(pod, ni)
      // upstream runs filters until the first one that rejects the node.
      if (failed.length > 0) break
    }
    if (failed.length === 0) feasible.push(ni)
    else for (const r of failed) reasons[r] = (reasons[r] ?? 0) + 1
  }
  if (feasible.length === 0) return { unschedulable: fitErrorMessage(n, reasons), reasons }
  if (feasible.length === 1) return { node: feasible[0]!.name, evaluated, feasible: 1 }
  const m = feasible.length
  const totals = new Array<number>(m).fill(0)
  const raw = new Array<number>(m)
  for (const s of profile.scores) {
    if (s.skip?.(pod)) continue
    for (let i = 0; i < m; i++) raw[i] = s.score(pod, feasible[i]!)
    s.normalize?.(raw)
    for (let i = 0; i < m; i++) totals[i]! += raw[i]! * s.weight
  }
  return { node: feasible[selectHost(totals, opts.rng)]!.name, evaluated, feasible: feasible.length }
}

/** Index of the highest total; ties broken uniformly with rng by reservoir sampling, as upstream selectHost. */
export function selectHost(totals: readonly number[], rng?: Rng): number {
  let best = 0
  let ties = 1
  for (let i = 1; i < totals.length; i++) {
    if (totals[i]! > totals[best]!) {
      best = i
      ties = 1
    } else if (totals[i] === totals[best]) {
      ties++
      if (rng && rng() * ties < 1) best = i
    }
  }
  return best
}
