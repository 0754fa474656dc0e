// Filters out nodes that do not match the pod's nodeSelector or required node affinity.
// upstream: pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go,
//           staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../api/types.js'
import type { NodeInfo, PodInfo } from '../node-info.js'
import { FITS, type FilterPlugin } from './types.js'

/** upstream ErrReasonPod. */
export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector"

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const has = value !== undefined
  const vals = r.values ?? []
  switch (r.operator) {
    case 'In':
      return has && vals.includes(value)
    case 'NotIn':
      return !has || !vals.includes(value)
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
    case 'Gt':
    case 'Lt': {
      if (!has || !/^-?\d+$/.test(value) || vals.length !== 1) return false
      return r.operator === 'Gt' ? Number(value) > Number(vals[0]) : Number(value) < Number(vals[0])
    }
    default:
      return false
  }
}

/** True when the node matches one term: every expression on labels, every field (metadata.name only). */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? []
  const fields = term.matchFields ?? []
  // upstream: a term with no requirements matches no node.
  if (exprs.length === 0 && fields.length === 0) return false
  const labels = node.metadata.labels ?? {}
  if (!exprs.every((r) => requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined))) return false
  return fields.every((r) => requirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined))
}

/** True when the node satisfies the pod's nodeSelector and required node affinity (terms ORed). */
export function podMatchesNode(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {}
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false
  const req = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  if (req) return req.nodeSelectorTerms.some((t) => termMatches(t, node))
  return true
}

/** nodeSelector + requiredDuringSchedulingIgnoredDuringExecution. */
export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  // upstream PreFilter returns Skip when the pod has neither nodeSelector nor required affinity.
  skip: (pod) => !pod.hasNodeConstraints,
  filter(pod: PodInfo, ni: NodeInfo): readonly string[] {
    if (!pod.hasNodeConstraints) return FITS
    return podMatchesNode(pod.pod, ni.node) ? FITS : [ERR_NODE_AFFINITY]
  },
}
