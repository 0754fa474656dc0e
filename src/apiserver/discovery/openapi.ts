import { createHash } from 'node:crypto'
import type { ResourceInfo } from '../../api/registry.js'
import { schemaFor, type Schema } from '../../api/schema.js'
// Registers every kind's schema, so components.schemas are complete whatever the import order.
import '../../api/schemas/index.js'
import { KPLAB_GIT_VERSION } from './version.js'
import { servedGroupVersions, subresourcesOf, type GroupVersionKind } from './resources.js'

/** `GET /openapi/v3`: one entry per group-version path, each with a content hash. */
export interface OpenAPIV3Root {
  paths: Record<string, { serverRelativeURL: string }>
}

/** An OpenAPI 3.0 document (kept loose: kplab only fills the parts kubectl reads). */
export interface OpenAPIV3Document {
  openapi: '3.0.0'
  info: { title: string; version: string }
  paths: Record<string, Record<string, unknown>>
  components: { schemas: Record<string, unknown> }
}

type OpenAPISchema = Record<string, unknown>

// upstream: staging/src/k8s.io/kube-openapi/pkg/util/proto and the generated openapi-spec/v3:
// structural extensions that tell clients (kubectl explain, apply) how lists merge.
/** Converts kplab's compact Schema to an OpenAPI v3 schema with Kubernetes extensions. */
export function toOpenAPISchema(s: Schema): OpenAPISchema {
  switch (s.type) {
    case 'object': {
      const o: OpenAPISchema = { type: 'object' }
      if (s.properties) o.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toOpenAPISchema(v)]))
      if (s.additionalProperties) o.additionalProperties = toOpenAPISchema(s.additionalProperties)
      if (s.retainKeys) o['x-kubernetes-patch-strategy'] = 'retainKeys'
      return o
    }
    case 'array': {
      const o: OpenAPISchema = { type: 'array', items: toOpenAPISchema(s.items), 'x-kubernetes-list-type': s.listType }
      if (s.listType === 'map' && s.mergeKey) {
        o['x-kubernetes-list-map-keys'] = [s.mergeKey]
        o['x-kubernetes-patch-merge-key'] = s.mergeKey
        o['x-kubernetes-patch-strategy'] = 'merge'
      } else if (s.listType === 'set') {
        o['x-kubernetes-patch-strategy'] = 'merge'
      }
      return o
    }
    case 'int-or-string':
      return { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }
    case 'any':
      return { 'x-kubernetes-preserve-unknown-fields': true }
    default:
      return { type: s.type }
  }
}

/** Upstream's definition name: `io.k8s.api.core.v1.Pod`, `io.k8s.api.apps.v1.Deployment`. */
export function definitionName(gvk: GroupVersionKind): string {
  const pkg = gvk.group === '' ? 'core' : gvk.group.split('.')[0]!
  return `io.k8s.api.${pkg}.${gvk.version}.${gvk.kind}`
}

const q = (name: string, description: string): OpenAPISchema => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } })
const P_DRY_RUN = q('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed')
const P_FIELD_MANAGER = q('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.')
const P_FIELD_VALIDATION = q('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict.')
const P_FORCE = { name: 'force', in: 'query', description: 'Force is going to "force" Apply requests.', schema: { type: 'boolean', uniqueItems: true } }
const pathParam = (name: string): OpenAPISchema => ({ name, in: 'path', required: true, schema: { type: 'string', uniqueItems: true } })

function ok(ref: string): OpenAPISchema {
  return { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } } }
}

// upstream operationIds: patchCoreV1NamespacedPod, readAppsV1NamespacedDeploymentScale, patchCoreV1Node.
function opId(verb: string, r: ResourceInfo, suffix = ''): string {
  const pkg = r.group ? r.group.split('.')[0]! : 'core'
  return `${verb}${cap(pkg)}${cap(r.version)}${r.namespaced ? 'Namespaced' : ''}${r.kind}${suffix}`
}

/** The paths of one resource: collection (list, create) and item (get, replace, delete, PATCH). */
function resourcePaths(prefix: string, r: ResourceInfo): Record<string, Record<string, unknown>> {
  const gvk = { group: r.group, version: r.version, kind: r.kind }
  const ref = definitionName(gvk)
  const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`
  const scopeParams = r.namespaced ? [pathParam('namespace')] : []
  const ext = (action: string) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk })
  const paths: Record<string, Record<string, unknown>> = {
    [base]: {
      parameters: scopeParams,
      get: { operationId: opId('list', r), ...ext('list'), responses: ok(`${ref}List`) },
      post: { operationId: opId('create', r), ...ext('post'), parameters: [P_DRY_RUN, P_FIELD_MANAGER, P_FIELD_VALIDATION], responses: ok(ref) },
    },
    [`${base}/{name}`]: {
      parameters: [pathParam('name'), ...scopeParams],
      get: { operationId: opId('read', r), ...ext('get'), responses: ok(ref) },
      put: { operationId: opId('replace', r), ...ext('put'), parameters: [P_DRY_RUN, P_FIELD_MANAGER, P_FIELD_VALIDATION], responses: ok(ref) },
      delete: { operationId: opId('delete', r), ...ext('delete'), parameters: [P_DRY_RUN], responses: ok(ref) },
      // kubectl's queryParamVerifierV3 looks for exactly this: a PATCH tagged with the GVK that lists
      // fieldValidation. No requestBody, so kubectl builds strategic merge patches from its builtins.
      patch: {
        operationId: opId('patch', r),
        ...ext('patch'),
        parameters: [P_DRY_RUN, P_FIELD_MANAGER, P_FIELD_VALIDATION, P_FORCE],
        responses: ok(ref),
      },
    },
  }
  for (const s of subresourcesOf(r)) {
    if (s.name === 'log' || s.name === 'binding') continue
    const subRef = definitionName(s.responseKind)
    paths[`${base}/{name}/${s.name}`] = {
      parameters: [pathParam('name'), ...scopeParams],
      get: { operationId: opId('read', r, cap(s.name)), 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': s.responseKind, responses: ok(subRef) },
      patch: {
        operationId: opId('patch', r, cap(s.name)),
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': s.responseKind,
        parameters: [P_DRY_RUN, P_FIELD_MANAGER, P_FIELD_VALIDATION, P_FORCE],
        responses: ok(subRef),
      },
    }
  }
  return paths
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1)
}

/** Normalises `/api/v1`, `api/v1`, `/apis/apps/v1/` to the root's keys (`api/v1`, `apis/apps/v1`). */
function normalise(gvPath: string): string {
  return gvPath.replace(/^\/+|\/+$/g, '').replace(/^openapi\/v3\//, '')
}

function gvPathOf(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`
}

/**
 * The OpenAPI v3 document of one group-version (`api/v1`, `apis/apps/v1`): a PATCH with
 * `x-kubernetes-group-version-kind` and `fieldValidation` per kind (what kubectl create/apply need),
 * list/get/create/replace/delete paths, and components.schemas built from `schemaFor` tagged with
 * their GVK (for `kubectl explain`). Undefined when the group-version is not served.
 */
export function openapiV3GroupVersion(gvPath: string): OpenAPIV3Document | undefined {
  const key = normalise(gvPath)
  const gv = servedGroupVersions().find((g) => gvPathOf(g.group, g.version) === key)
  if (!gv) return undefined
  const prefix = `/${key}`
  const paths: OpenAPIV3Document['paths'] = {}
  const schemas: Record<string, unknown> = {}
  for (const r of gv.resources) {
    Object.assign(paths, resourcePaths(prefix, r))
    const gvk = { group: r.group, version: r.version, kind: r.kind }
    schemas[definitionName(gvk)] = { ...toOpenAPISchema(schemaFor(r)), 'x-kubernetes-group-version-kind': [gvk] }
    schemas[`${definitionName(gvk)}List`] = {
      type: 'object',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, items: { type: 'array', items: { $ref: `#/components/schemas/${definitionName(gvk)}` } } },
      'x-kubernetes-group-version-kind': [{ ...gvk, kind: r.listKind }],
    }
    for (const s of subresourcesOf(r)) {
      const name = definitionName(s.responseKind)
      if (s.responseKind.kind === 'Scale' && !schemas[name]) {
        schemas[name] = { ...toOpenAPISchema(schemaFor({ kind: 'Scale' })), 'x-kubernetes-group-version-kind': [s.responseKind] }
      }
    }
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: KPLAB_GIT_VERSION }, paths, components: { schemas } }
}

/** A stable content hash of a document (upstream: uppercase hex of a SHA-512 over the spec). */
export function openapiHash(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase()
}

/** `GET /openapi/v3`: every served group-version with a `?hash=` that changes when its document does. */
export function openapiV3Root(): OpenAPIV3Root {
  const paths: OpenAPIV3Root['paths'] = {}
  for (const gv of servedGroupVersions()) {
    const key = gvPathOf(gv.group, gv.version)
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${openapiHash(openapiV3GroupVersion(key))}` }
  }
  return { paths }
}
