// Pod facts every workload controller asks: active, ready, available; and pods made from a template.
// upstream: pkg/api/v1/pod/util.go (IsPodReady, IsPodAvailable), pkg/controller/controller_utils.go
//           (IsPodActive, GetPodFromTemplate)
import type { KubeObject, OwnerReference } from '../api/meta.js'
import type { Pod, PodTemplateSpec } from '../api/types.js'

/** Not finished and not being deleted. */
export function isPodActive(p: Pod): boolean {
  return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp
}

/** Ready condition True. */
export function isPodReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}

/** Ready for at least minReadySeconds at `now` (ms). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const c = p.status?.conditions?.find((x) => x.type === 'Ready')
  if (c?.status !== 'True') return false
  if (minReadySeconds <= 0) return true
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now
}

/** A new pod from a template: labels and annotations copied, generateName `prefix`, controller ref set. */
export function podFromTemplate(template: PodTemplateSpec, namespace: string, generateName: string, ref: OwnerReference): Pod {
  const meta = template.metadata ?? {}
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName, namespace, labels: { ...(meta.labels ?? {}) }, ownerReferences: [ref] },
    spec: structuredClone(template.spec),
  }
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations }
  return pod
}

/** `name-` shortened as upstream so generated names stay within 63 characters. */
export function generateNamePrefix(owner: KubeObject): string {
  const base = owner.metadata.name!
  return base.length > 57 ? `${base.slice(0, 57)}-` : `${base}-`
}
