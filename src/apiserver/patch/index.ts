import { parse as parseYaml } from 'yaml'
import type { Schema } from '../../api/schema.js'
import { badRequest, unsupportedMediaType } from '../../api/errors.js'
import { applyJsonPatch } from './json-patch.js'
import { applyMergePatch, isObject } from './merge-patch.js'
import { applyStrategicMergePatch } from './strategic-merge-patch.js'

export { applyMergePatch } from './merge-patch.js'
export { applyJsonPatch } from './json-patch.js'
export { applyStrategicMergePatch } from './strategic-merge-patch.js'

/** The patch content types the API server accepts, as upstream lists them in 415 messages. */
export const PATCH_CONTENT_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const

function decode(body: unknown, yaml: boolean): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body
  if (typeof text !== 'string') return body
  try {
    // YAML is a superset of JSON, so server-side apply bodies sent as JSON text parse too.
    return yaml ? parseYaml(text) : JSON.parse(text)
  } catch (e) {
    throw badRequest(`the patch body is not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}`)
  }
}

/**
 * Applies a PATCH body of the given Content-Type to `original` and returns the new object
 * (inputs unchanged). `patchBody` may be already parsed or raw text/Buffer.
 *
 * `application/apply-patch+yaml` (server-side apply) is approximated without managedFields: the
 * applied configuration is strategic-merged onto the object with the same schema, so fields it sets
 * win and map-list items merge by key; fields the applier stopped sending are NOT removed (real SSA
 * would remove those it owned). Any other type is a 415 StatusError.
 */
export function applyPatch(contentType: string, original: unknown, patchBody: unknown, schema: Schema): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  switch (type) {
    case 'application/merge-patch+json':
      return applyMergePatch(original, decode(patchBody, false))
    case 'application/json-patch+json':
      return applyJsonPatch(original, decode(patchBody, false))
    case 'application/strategic-merge-patch+json':
      return applyStrategicMergePatch(original, decode(patchBody, false), schema)
    case 'application/apply-patch+yaml': {
      const applied = decode(patchBody, true)
      if (!isObject(applied)) throw badRequest('a server-side apply body must be a YAML or JSON object with apiVersion, kind and metadata.name')
      return applyStrategicMergePatch(original, applied, schema)
    }
    default:
      throw unsupportedMediaType(
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_CONTENT_TYPES.join(', ')}`,
      )
  }
}
