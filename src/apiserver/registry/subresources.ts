// The scale, binding and log subresources.
// upstream: pkg/registry/apps/deployment/storage/storage.go (ScaleREST),
//           pkg/registry/core/pod/storage/storage.go (BindingREST, assignPod), pkg/registry/core/pod/rest/log.go
import type { KubeObject } from '../../api/meta.js'
import type { ResourceInfo } from '../../api/registry.js'
import { StatusError, badRequest, conflict, field, invalid } from '../../api/errors.js'
import { applyPatch } from '../patch/index.js'
import type { WriteOptions } from './decode.js'
import type { ResourceRest } from './rest.js'
import { rfc3339 } from './strategy.js'

/** autoscaling/v1 Scale. */
export interface Scale extends KubeObject {
  spec: { replicas?: number }
  status: { replicas: number; selector?: string }
}

interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}

/** A LabelSelector in its string form (`app=web,tier in (a,b)`), as Scale.status.selector carries it. */
export function selectorString(sel: LabelSelector | undefined): string {
  if (!sel) return ''
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`)
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',')
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`)
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`)
    else if (e.operator === 'Exists') parts.push(e.key)
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`)
  }
  return parts.sort().join(',')
}

/** The Scale view of a Deployment or ReplicaSet. */
export function toScale(obj: KubeObject): Scale {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: LabelSelector }
  const status = (obj.status ?? {}) as { replicas?: number }
  const m = obj.metadata
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
  }
}

const scaleInfo = (r: ResourceInfo): ResourceInfo => ({ ...r, group: 'autoscaling', kind: 'Scale' })

/** GET …/scale. */
export async function getScale(rest: ResourceRest, ns: string | undefined, name: string): Promise<Scale> {
  return toScale(await rest.get(ns, name))
}

/** PUT or PATCH …/scale: `change` turns the current Scale into the wanted one; its resourceVersion, if set, must be current. */
export async function updateScale(rest: ResourceRest, ns: string | undefined, name: string, opts: WriteOptions, change: (cur: Scale) => unknown): Promise<Scale> {
  const updated = await rest.guaranteedUpdate(ns, name, opts, 'main', (cur) => {
    const wanted = change(toScale(cur)) as Partial<Scale> | undefined
    if (!wanted || typeof wanted !== 'object') throw badRequest('the request body must be a Scale object (autoscaling/v1)')
    const replicas = wanted.spec?.replicas
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid(scaleInfo(rest.resource), name, [field.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')])
    }
    const rv = wanted.metadata?.resourceVersion
    if (rv && rv !== cur.metadata.resourceVersion) throw conflict(rest.resource, name)
    ;(cur.spec as { replicas?: number }).replicas = replicas
    // The resourceVersion check was done here against the Scale; the write retries on races.
    delete cur.metadata.resourceVersion
    return cur
  })
  return toScale(updated)
}

/** PATCH …/scale with any patch type, applied to the Scale view. */
export async function patchScale(rest: ResourceRest, ns: string | undefined, name: string, contentType: string, patch: unknown, opts: WriteOptions): Promise<Scale> {
  return updateScale(rest, ns, name, opts, (cur) => {
    const out = applyPatch(contentType, cur, patch, { type: 'any' }) as Scale
    // A patch that does not mention resourceVersion leaves the current one; that is not a precondition.
    if (out.metadata?.resourceVersion === cur.metadata.resourceVersion) delete out.metadata.resourceVersion
    return out
  })
}

/**
 * POST pods/{name}/binding: sets spec.nodeName and the PodScheduled condition; 409 when the pod is
 * already bound or being deleted.
 */
export async function bindPod(rest: ResourceRest, ns: string | undefined, name: string, body: unknown, opts: WriteOptions): Promise<void> {
  const b = (body ?? {}) as { target?: { kind?: string; name?: string }; metadata?: { name?: string } }
  const node = b.target?.name
  const bindingInfo: ResourceInfo = { ...rest.resource, kind: 'Binding', plural: 'bindings' }
  if (!node) throw invalid(bindingInfo, name, [field.required('target.name')])
  if (b.target?.kind && b.target.kind !== 'Node') throw invalid(bindingInfo, name, [field.notSupported('target.kind', b.target.kind, ['Node'])])
  if (b.metadata?.name && b.metadata.name !== name) throw badRequest(`the name of the Binding (${b.metadata.name}) does not match the pod on the URL (${name})`)
  await rest.guaranteedUpdate(ns, name, opts, 'raw', (pod) => {
    const spec = (pod.spec ?? {}) as { nodeName?: string }
    if (pod.metadata.deletionTimestamp) throw conflict(rest.resource, name, `pod ${name} is being deleted, cannot be assigned to a host`)
    if (spec.nodeName) throw conflict(rest.resource, name, `pod ${name} is already assigned to node "${spec.nodeName}"`)
    spec.nodeName = node
    pod.spec = spec
    const status = (pod.status ?? {}) as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] }
    const conds = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled')
    conds.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: rfc3339(rest.deps.clock.now()) })
    status.conditions = conds
    pod.status = status
    delete pod.metadata.resourceVersion
    return pod
  })
}

/** Query of GET pods/{name}/log. */
export interface LogQuery {
  container?: string
  follow?: boolean
  tailLines?: number
  sinceSeconds?: number
  timestamps?: boolean
  previous?: boolean
}

/**
 * Where pod logs come from once kubelets serve them: given the pod (bound, with status.hostIP), return
 * the log text or a stream. The kubelet issue plugs a proxy in here (`buildApiServer({ podLogs })`).
 */
export type PodLogSource = (pod: KubeObject, query: LogQuery) => Promise<string | NodeJS.ReadableStream>

/** GET pods/{name}/log: the pod must exist; without a kubelet serving it, a 400 Status says why. */
export async function podLog(rest: ResourceRest, ns: string | undefined, name: string, query: LogQuery, source?: PodLogSource): Promise<string | NodeJS.ReadableStream> {
  const pod = await rest.get(ns, name)
  const hostIP = (pod.status as { hostIP?: string } | undefined)?.hostIP
  if (!source || !hostIP) {
    throw new StatusError(400, 'BadRequest', `pod "${name}" has no running container (no kubelet serves its logs)`, { name, kind: 'pods' })
  }
  return source(pod, query)
}
