// Prefers nodes with fewer pods of the same controller (ReplicaSet, DaemonSet…), so replicas spread.
// upstream: pkg/scheduler/framework/plugins/selectorspread/selector_spread.go (NormalizeScore)
import type { NodeInfo, PodInfo } from '../node-info.js'
import { MAX_NODE_SCORE, type ScorePlugin } from './types.js'

/** Raw score = pods of the same owner on the node; normalized to 100·(max − count)/max. */
export const spreadByOwner: ScorePlugin = {
  name: 'SelectorSpread',
  // Upstream weighs topology spreading 2 against 1 for the resource scores.
  weight: 2,
  // Without an owner every node scores MAX_NODE_SCORE: adding the same amount everywhere changes no ranking.
  skip: (pod) => pod.ownerUid === undefined,
  score(pod: PodInfo, ni: NodeInfo): number {
    return pod.ownerUid ? (ni.ownerCounts.get(pod.ownerUid) ?? 0) : 0
  },
  normalize(scores: number[]): void {
    let max = 0
    for (const v of scores) if (v > max) max = v
    for (let i = 0; i < scores.length; i++) scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max - scores[i]!)) / max)
  },
}
