// The two kinds of scheduler plugin: a filter says why a node cannot take a pod, a score ranks the
// nodes that can. Both are pure functions of the pod and one node.
// upstream: pkg/scheduler/framework/interface.go (FilterPlugin, ScorePlugin)
import type { NodeInfo, PodInfo } from '../node-info.js'

/** The best score a plugin gives (upstream framework.MaxNodeScore). */
export const MAX_NODE_SCORE = 100

/** Decides whether a node fits; returns the reasons it does not (upstream's status reasons), or [] when it fits. */
export interface FilterPlugin {
  readonly name: string
  filter(pod: PodInfo, node: NodeInfo): string[]
}

/** Scores a feasible node 0..MAX_NODE_SCORE (after normalize, when given). */
export interface ScorePlugin {
  readonly name: string
  readonly weight: number
  score(pod: PodInfo, node: NodeInfo): number
  /** Rescales raw scores across all feasible nodes, in place. */
  normalize?(scores: number[]): void
}
