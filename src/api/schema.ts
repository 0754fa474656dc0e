import type { ResourceInfo } from './registry.js'

/**
 * A compact structural schema of a kind: enough for strict field validation (unknown fields),
 * schema-aware strategic merge patch (merge keys, patch strategies) and the served OpenAPI.
 */
export type Schema =
  | {
      type: 'object'
      /** Known fields; an object without properties but with additionalProperties is a map. */
      properties?: Record<string, Schema>
      /** Value schema of a map (labels, annotations, nodeSelector, resources.requests). */
      additionalProperties?: Schema
      /** upstream `patchStrategy:"retainKeys"` on this struct (e.g. DeploymentStrategy). */
      retainKeys?: boolean
    }
  | {
      type: 'array'
      items: Schema
      /** `map`: merge items by mergeKey; `set`: merge primitive values; `atomic`: replace whole. */
      listType: 'atomic' | 'map' | 'set'
      /** The field identifying an item of a `map` list (containers → name, Service ports → port). */
      mergeKey?: string
    }
  | { type: 'string' | 'integer' | 'number' | 'boolean' | 'int-or-string' }
  /** Anything goes (free-form fields); unknown-field checks stop here. */
  | { type: 'any' }

/** Per-kind schemas, filled in by kind (src/api/schemas/*.ts). */
const SCHEMAS = new Map<string, Schema>()

/** Registers the schema of a kind (called once per kind at module load). */
export function registerSchema(kind: string, schema: Schema): void {
  SCHEMAS.set(kind, schema)
}

/** The schema of a resource's kind; `{type:'any'}` when none is registered. */
export function schemaFor(r: Pick<ResourceInfo, 'kind'>): Schema {
  return SCHEMAS.get(r.kind) ?? { type: 'any' }
}
