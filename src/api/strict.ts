// Unknown-field detection and pruning for server-side field validation (`fieldValidation=Strict|Warn|Ignore`).
// upstream: staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json (strict decoding) — the message
// the apiserver builds from these paths is `strict decoding error: unknown field "spec.replicaz"`.
import type { ResourceInfo } from './registry.js'
import type { Schema } from './schema.js'
import { schemaFor } from './schema.js'

type Visit = (path: string, parent: Record<string, unknown>, key: string) => void

// The path is kept as segments (keys, array indices) and rendered only for an unknown field: most
// writes have none, and building every field's dotted path string was most of this walk's cost.
function walk(schema: Schema, value: unknown, segs: (string | number)[], visit: Visit): void {
  if (value === null || value === undefined) return
  if (schema.type === 'array') {
    if (!Array.isArray(value)) return
    for (let i = 0; i < value.length; i++) {
      segs.push(i)
      walk(schema.items, value[i], segs, visit)
      segs.pop()
    }
    return
  }
  if (schema.type !== 'object' || typeof value !== 'object' || Array.isArray(value)) return
  const o = value as Record<string, unknown>
  for (const key of Object.keys(o)) {
    const known = schema.properties?.[key] ?? schema.additionalProperties
    segs.push(key)
    if (known) walk(known, o[key], segs, visit)
    else visit(renderPath(segs), o, key)
    segs.pop()
  }
}

// `a.b[0].c`, as the upstream strict-decoding messages write paths.
function renderPath(segs: (string | number)[]): string {
  let s = ''
  for (const x of segs) s += typeof x === 'number' ? `[${x}]` : s ? `.${x}` : x
  return s
}

/** Dotted paths of the fields of obj its kind's schema does not know, in document order (`spec.template.spec.containers[0].imagee`). */
export function unknownFields(resource: Pick<ResourceInfo, 'kind'>, obj: unknown): string[] {
  const out: string[] = []
  walk(schemaFor(resource), obj, [], (path) => out.push(path))
  return out
}

/** Removes unknown fields from obj in place (`fieldValidation=Ignore`) and returns their paths. */
export function pruneUnknownFields(resource: Pick<ResourceInfo, 'kind'>, obj: unknown): string[] {
  const out: string[] = []
  const drop: [Record<string, unknown>, string][] = []
  // Deleting during the walk would skip siblings; collect first.
  walk(schemaFor(resource), obj, [], (path, parent, key) => {
    out.push(path)
    drop.push([parent, key])
  })
  for (const [parent, key] of drop) delete parent[key]
  return out
}

/** The upstream message for one unknown field, as the apiserver reports it under Strict. */
export function unknownFieldMessage(path: string): string {
  return `unknown field "${path}"`
}
