import type { ResourceInfo } from './registry.js'
import { qualifiedResource } from './registry.js'

/** One field problem, as in `details.causes[]` of a Kubernetes Status. */
export interface StatusCause {
  /** FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong, FieldValueTypeInvalid. */
  reason: string
  /** Starts as upstream does: `Invalid value: 0: must be …`, `Required value`, `Unsupported value: …`. */
  message: string
  /** Dotted Kubernetes path, e.g. `spec.ports[0].nodePort`. */
  field: string
}

/** A Kubernetes `Status` object (the body of every API error). */
export interface Status {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, never> | { resourceVersion?: string }
  status: 'Failure' | 'Success'
  message?: string
  reason?: string
  details?: {
    name?: string
    group?: string
    kind?: string
    uid?: string
    causes?: StatusCause[]
    retryAfterSeconds?: number
  }
  code: number
}

/** An error the API answers with a Status of this code and reason; thrown by storage, admission and routes alike. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Status['details'],
  ) {
    super(message)
    this.name = 'StatusError'
  }

  /** The wire form. */
  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code }
    if (this.details) s.details = this.details
    return s
  }
}

const detailsOf = (r: ResourceInfo, name: string): Status['details'] => ({ name, group: r.group || undefined, kind: r.plural })

/** 404: `pods "x" not found`. */
export function notFound(r: ResourceInfo, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, detailsOf(r, name))
}

/** 409: `deployments.apps "web" already exists`. */
export function alreadyExists(r: ResourceInfo, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(r)} "${name}" already exists`, detailsOf(r, name))
}

/** 409: stale resourceVersion or failed precondition. */
export function conflict(r: ResourceInfo, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${why}`, detailsOf(r, name))
}

/** 422 with field causes; the message reads as upstream's (`Service "web" is invalid: spec.ports[0].port: Invalid value: 0: …`). */
export function invalid(r: ResourceInfo, name: string, causes: StatusCause[]): StatusError {
  const kindName = r.group ? `${r.kind}.${r.group}` : r.kind
  const list = causes.map((c) => `${c.field}: ${c.message}`)
  const body = list.length === 1 ? list[0] : `[${list.join(', ')}]`
  return new StatusError(422, 'Invalid', `${kindName} "${name}" is invalid: ${body}`, {
    name,
    group: r.group || undefined,
    kind: r.kind,
    causes,
  })
}

/** 400 BadRequest. */
export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message)
}

/** 410 Gone, reason Expired: a watch or continue token older than the kept history. */
export function expired(message = 'too old resource version'): StatusError {
  return new StatusError(410, 'Expired', message)
}

/** 401 Unauthorized. */
export function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized')
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
}

/** 415 UnsupportedMediaType. */
export function unsupportedMediaType(message: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', message)
}

/** 500 InternalError. */
export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`)
}

/** 413 RequestEntityTooLarge. */
export function tooLarge(limit: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${limit} bytes`)
}

/** Helpers for building causes with upstream's wording. */
export const field = {
  required: (path: string, detail?: string): StatusCause => ({ reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value', field: path }),
  invalid: (path: string, value: unknown, detail: string): StatusCause => ({ reason: 'FieldValueInvalid', message: `Invalid value: ${fmtValue(value)}: ${detail}`, field: path }),
  notSupported: (path: string, value: unknown, allowed: readonly string[]): StatusCause => ({
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${fmtValue(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
    field: path,
  }),
  duplicate: (path: string, value: unknown): StatusCause => ({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${fmtValue(value)}`, field: path }),
  forbidden: (path: string, detail: string): StatusCause => ({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field: path }),
  tooLong: (path: string, value: unknown, max: number): StatusCause => ({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${max} bytes`, field: path }),
}

function fmtValue(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`
  if (v === undefined) return 'null'
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}
