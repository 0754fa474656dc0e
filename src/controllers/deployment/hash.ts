// The pod-template-hash: which ReplicaSet belongs to which template, and the names derived from it.
// upstream: pkg/controller/controller_utils.go (ComputeHash: fnv32a of the template + collisionCount),
//           staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go (SafeEncodeString)
import type { PodTemplateSpec } from '../../api/types.js'

/** The label and annotation keys upstream uses. */
export const POD_TEMPLATE_HASH = 'pod-template-hash'
/** Revision annotation on Deployments and their ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision'
/** spec.replicas of the Deployment, recorded on each ReplicaSet. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas'
/** replicas + maxSurge, recorded on each ReplicaSet. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas'

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`
  }
  return JSON.stringify(v)
}

/** 32-bit FNV-1a of a string's UTF-8 bytes. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** Maps each character to one without vowels or look-alikes, as upstream SafeEncodeString. */
export function safeEncode(s: string): string {
  let out = ''
  for (const ch of Buffer.from(s, 'utf8')) out += ALPHANUMS[ch % ALPHANUMS.length]
  return out
}

/** The template without the pod-template-hash label (templates are compared that way). */
export function templateWithoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const copy = structuredClone(t)
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH]
  }
  return copy
}

/** The pod-template-hash of a template (+ collisionCount, as upstream, to escape name collisions). */
export function podTemplateHash(t: PodTemplateSpec, collisionCount?: number): string {
  let s = canonicalJson(templateWithoutHash(t))
  if (collisionCount) s += String(collisionCount)
  return safeEncode(String(fnv32a(s)))
}

/** True when two templates are equal ignoring the hash label (upstream EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  if (!a || !b) return false
  return canonicalJson(templateWithoutHash(a)) === canonicalJson(templateWithoutHash(b))
}
