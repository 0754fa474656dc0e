// The two kinds of scheduler plugin: a filter says why a node cannot take a pod, a score ranks the
// nodes that can. Both are pure functions of the pod and one node.
// upstream: pkg/scheduler/framework/interface.go (FilterPlugin, ScorePlugin)
import type { NodeInfo, PodInfo } from '../node-info.js'

/** The best score a plugin gives (upstream framework.MaxNodeScore). */
export const MAX_NODE_SCORE = 100

/** What a filter returns for a node that fits: one shared empty list, so the hot path allocates nothing. */
export const FITS: readonly string[] = Object.freeze([])

/** Decides whether a node fits; returns the reasons it does not (upstream's status reasons), or FITS. */
export interface FilterPlugin {
  readonly name: string
  /** PreFilter's Skip: true when the filter passes every node for this pod, so the cycle need not call it per node. */
  skip?(pod: PodInfo): boolean
  filter(pod: PodInfo, node: NodeInfo): readonly string[]
}

/** Scores a feasible node 0..MAX_NODE_SCORE (after normalize, when given). */
export interface ScorePlugin {
  readonly name: string
  readonly weight: number
  /** PreScore's Skip: true when the plugin would give every node the same score for this pod. */
  skip?(pod: PodInfo): boolean
  score(pod: PodInfo, node: NodeInfo): number
  /** Rescales raw scores across all feasible nodes, in place. */
  normalize?(scores: number[]): void
}
