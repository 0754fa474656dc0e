// Whether a pod template's node constraints admit a node: nodeSelector and required node affinity
// (taints are in api/taints.ts). The DaemonSet controller needs the scheduler's answer without
// importing the scheduler (components never import each other).
// upstream: staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity
import type { Node, NodeSelectorRequirement, PodSpec } from '../api/types.js'

function reqMatches(r: NodeSelectorRequirement, v: string | undefined): boolean {
  const vals = r.values ?? []
  switch (r.operator) {
    case 'In':
      return v !== undefined && vals.includes(v)
    case 'NotIn':
      return v === undefined || !vals.includes(v)
    case 'Exists':
      return v !== undefined
    case 'DoesNotExist':
      return v === undefined
    case 'Gt':
      return v !== undefined && /^-?\d+$/.test(v) && Number(v) > Number(vals[0])
    case 'Lt':
      return v !== undefined && /^-?\d+$/.test(v) && Number(v) < Number(vals[0])
    default:
      return false
  }
}

/** nodeSelector and required node affinity (terms ORed, requirements ANDed; matchFields on metadata.name). */
export function specMatchesNode(spec: PodSpec, node: Node): boolean {
  const labels = node.metadata.labels ?? {}
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
  if (!terms) return true
  return terms.some((t) => {
    const ex = t.matchExpressions ?? []
    const fs = t.matchFields ?? []
    if (ex.length === 0 && fs.length === 0) return false
    return ex.every((r) => reqMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) && fs.every((r) => reqMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined))
  })
}
