// Turning a request body into an object of the resource: type checks, field validation
// (Strict / Warn / Ignore) and pruning of unknown fields.
// upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go (fieldValidation, strict decoding)
import type { KubeObject } from '../../api/meta.js'
import type { ResourceInfo } from '../../api/registry.js'
import { groupVersion } from '../../api/registry.js'
import { badRequest } from '../../api/errors.js'
import { pruneUnknownFields, unknownFields } from '../../api/strict.js'
// Registers every kind's schema: without them no field is unknown.
import '../../api/schemas/index.js'
import { clone } from './strategy.js'

/** The `fieldValidation` query parameter. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore'

/** Options of a write request. */
export interface WriteOptions {
  /** `dryRun=All`: run everything but the store write (no watch event either). */
  dryRun?: boolean
  fieldValidation?: FieldValidation
  /** Warnings to return in `Warning: 299 - "…"` headers; writes append to it. */
  warnings: string[]
  /**
   * The body was parsed for this request alone and nothing reads it afterwards, so decoding may
   * modify it in place instead of copying it first (set by the POST route).
   */
  bodyOwned?: boolean
}

/** Reads `fieldValidation` (case as upstream: Strict, Warn, Ignore); unknown values are a 400. */
export function parseFieldValidation(v: unknown): FieldValidation | undefined {
  if (v === undefined || v === '') return undefined
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v
  throw badRequest(`fieldValidation: unsupported value "${String(v)}"; use Strict, Warn or Ignore`)
}

/**
 * Checks that body is an object of resource r, applies field validation and returns a modifiable
 * copy with unknown fields dropped. Unknown fields: Strict → 400, Warn (default) → warning, Ignore → silent.
 */
export function decodeObject(r: ResourceInfo, body: unknown, opts: WriteOptions): KubeObject {
  const gv = groupVersion(r)
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`the request body must be a JSON object: a ${r.kind} of ${gv}`)
  }
  const obj = (opts.bodyOwned ? body : clone(body)) as KubeObject
  if (obj.apiVersion !== undefined && obj.apiVersion !== gv) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`)
  }
  if (obj.kind !== undefined && obj.kind !== r.kind) {
    throw badRequest(`${String(obj.kind)} in version "${r.version}" cannot be handled as a ${r.kind}: the kind in the data does not match the path (${r.plural}); send a ${r.kind} here`)
  }
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {}
  if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: metadata must be an object`)
  obj.apiVersion = gv
  obj.kind = r.kind
  const unknown = opts.fieldValidation === 'Ignore' ? [] : unknownFields(r, obj)
  if (unknown.length > 0) {
    const list = unknown.map((f) => `unknown field "${f}"`)
    if (opts.fieldValidation === 'Strict') {
      throw badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: strict decoding error: ${list.join(', ')}`)
    }
    opts.warnings.push(...list)
  }
  // Nothing unknown was found (unless Ignore skipped the search): nothing to prune, skip the second walk.
  if (unknown.length > 0 || opts.fieldValidation === 'Ignore') pruneUnknownFields(r, obj)
  return obj
}
