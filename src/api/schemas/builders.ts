// Small constructors that keep the per-kind schema files readable.
import type { Schema } from '../schema.js'

/** A string field. */
export const str: Schema = { type: 'string' }
/** An integer field. */
export const int: Schema = { type: 'integer' }
/** A floating-point field. */
export const num: Schema = { type: 'number' }
/** A boolean field. */
export const bool: Schema = { type: 'boolean' }
/** An IntOrString field (targetPort, maxSurge). */
export const intOrString: Schema = { type: 'int-or-string' }
/** A free-form field: unknown-field checks stop here. */
export const any: Schema = { type: 'any' }

/** A struct with known fields. */
export function obj(properties: Record<string, Schema>, opts: { retainKeys?: boolean } = {}): Schema {
  return opts.retainKeys ? { type: 'object', properties, retainKeys: true } : { type: 'object', properties }
}

/** A map (labels, annotations, nodeSelector, resource quantities). */
export function map(value: Schema = str): Schema {
  return { type: 'object', additionalProperties: value }
}

/** A list replaced whole on merge (`+listType=atomic`, no patchStrategy). */
export function atomic(items: Schema): Schema {
  return { type: 'array', items, listType: 'atomic' }
}

/** A list of primitives merged as a set (`patchStrategy:"merge"` on []string, `+listType=set`). */
export function set(items: Schema = str): Schema {
  return { type: 'array', items, listType: 'set' }
}

/** A list merged item by item on mergeKey (`patchStrategy:"merge" patchMergeKey:"…"`). */
export function mapList(mergeKey: string, items: Schema): Schema {
  return { type: 'array', items, listType: 'map', mergeKey }
}

/** A condition as upstream's `metav1.Condition` and the core/apps condition structs share. */
export const condition: Schema = obj({
  type: str,
  status: str,
  observedGeneration: int,
  lastHeartbeatTime: str,
  lastProbeTime: str,
  lastUpdateTime: str,
  lastTransitionTime: str,
  reason: str,
  message: str,
})

/** `conditions` merged by type, as every upstream status declares it. */
export const conditions: Schema = mapList('type', condition)
