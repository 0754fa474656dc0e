import type { Schema } from '../../api/schema.js'
import { StatusError, badRequest } from '../../api/errors.js'
import { applyMergePatch, cloneJson, isObject, type JsonObject } from './merge-patch.js'

// upstream: staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (directive names)
const PATCH = '$patch'
const RETAIN_KEYS = '$retainKeys'
const SET_ELEMENT_ORDER = '$setElementOrder/'
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/'

const ANY: Schema = { type: 'any' }

// Format errors are 422 as upstream's interpretStrategicMergePatchError maps them
// (ErrBadPatchFormatForRetainKeys, ErrBadPatchFormatForSetElementOrderList, …).
function badFormat(path: string, message: string): StatusError {
  return new StatusError(422, 'Invalid', `strategic merge patch at ${path || '<root>'}: ${message}`)
}

/** The schema of field `key` inside an object schema; `any` when unknown. */
function fieldSchema(schema: Schema, key: string): Schema {
  if (schema.type !== 'object') return ANY
  return schema.properties?.[key] ?? schema.additionalProperties ?? ANY
}

/**
 * Applies a Kubernetes strategic merge patch, guided by the kind's schema, and returns the result;
 * neither input is changed. Supports `null` deletion, `$patch: replace|delete|merge`, per-field merge
 * keys for `listType: 'map'`, `set` lists, `$setElementOrder/<f>`, `$retainKeys` and
 * `$deleteFromPrimitiveList/<f>`. Below a `{type:'any'}` schema it is a plain merge patch.
 * upstream: staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (StrategicMergeMapPatch)
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: Schema): unknown {
  if (!isObject(patch)) throw badRequest('a strategic merge patch must be a JSON object, e.g. {"spec":{"replicas":3}}')
  return mergeMap(isObject(original) ? original : {}, patch, schema, '')
}

/** Merges patch value `pv` onto original value `ov` (undefined when absent) under `schema`. */
function mergeValue(ov: unknown, pv: unknown, schema: Schema, path: string): unknown {
  if (schema.type === 'any') return applyMergePatch(ov, pv)
  if (isObject(pv)) {
    // A map where the schema expects something else: fall back to plain merge-patch semantics.
    if (schema.type !== 'object') return applyMergePatch(ov, pv)
    return mergeMap(isObject(ov) ? ov : {}, pv, schema, path)
  }
  if (Array.isArray(pv)) {
    if (schema.type !== 'array') return cloneJson(pv)
    return mergeList(Array.isArray(ov) ? ov : [], pv, schema, path)
  }
  return cloneJson(pv)
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: Schema, path: string): JsonObject {
  const directive = patch[PATCH]
  if (directive !== undefined) {
    if (directive === 'replace') {
      // The patch is the whole new value; strip directives by merging it onto nothing.
      const rest = { ...patch }
      delete rest[PATCH]
      return mergeMap({}, rest, schema, path)
    }
    if (directive === 'delete') return {}
    if (directive !== 'merge') throw badFormat(path, `unknown $patch value ${JSON.stringify(directive)}: use replace, delete or merge`)
  }

  let out: JsonObject = cloneJson(original)

  const retain = patch[RETAIN_KEYS]
  if (retain !== undefined) {
    if (!Array.isArray(retain) || !retain.every((k) => typeof k === 'string')) {
      throw badFormat(path, '$retainKeys must be a list of field names')
    }
    const keep = new Set(retain as string[])
    for (const [k, v] of Object.entries(patch)) {
      if (k.startsWith('$') || v === null) continue
      if (!keep.has(k)) throw badFormat(path, `field "${k}" is in the patch but not in $retainKeys ${JSON.stringify(retain)}`)
    }
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)))
  }

  // $deleteFromPrimitiveList first, so that a value both deleted and added ends up present.
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue
    const f = k.slice(DELETE_FROM_PRIMITIVE_LIST.length)
    if (!Array.isArray(v)) throw badFormat(join(path, f), `${k} must be a list of values to delete`)
    const cur = out[f]
    if (Array.isArray(cur)) out[f] = cur.filter((x) => !v.some((d) => sameJson(d, x)))
  }

  for (const [k, pv] of Object.entries(patch)) {
    if (k.startsWith('$')) continue
    const fpath = join(path, k)
    if (pv === null) {
      delete out[k]
      continue
    }
    const present = Object.hasOwn(out, k)
    // Deleting items from a list that is not there leaves it absent rather than creating [].
    if (!present && Array.isArray(pv) && pv.length > 0 && pv.every((x) => isObject(x) && x[PATCH] === 'delete')) continue
    out[k] = mergeValue(present ? out[k] : undefined, pv, fieldSchema(schema, k), fpath)
  }

  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ELEMENT_ORDER)) continue
    const f = k.slice(SET_ELEMENT_ORDER.length)
    if (!Array.isArray(order)) throw badFormat(join(path, f), `${k} must be a list`)
    const cur = out[f]
    if (Array.isArray(cur)) out[f] = reorder(cur, order, fieldSchema(schema, f), join(path, f))
  }
  return out
}

function mergeList(original: unknown[], patch: unknown[], schema: Extract<Schema, { type: 'array' }>, path: string): unknown[] {
  const directives = patch.filter((x) => isObject(x) && Object.hasOwn(x, PATCH)) as JsonObject[]
  const plain = patch.filter((x) => !(isObject(x) && Object.hasOwn(x, PATCH)))

  if (schema.listType === 'atomic') return plain.map((x) => mergeValue(undefined, x, schema.items, path))

  const replace = directives.some((d) => d[PATCH] === 'replace')
  let base = replace ? [] : original.map((x) => cloneJson(x))

  if (schema.listType === 'set') {
    for (const x of plain) if (!base.some((b) => sameJson(b, x))) base.push(cloneJson(x))
    return base
  }

  // listType map: items identified by mergeKey.
  const key = schema.mergeKey
  if (!key) throw badFormat(path, 'the schema declares a map list without a mergeKey')
  for (const d of directives) {
    if (d[PATCH] === 'replace') continue
    if (d[PATCH] !== 'delete') {
      if (d[PATCH] === 'merge') continue
      throw badFormat(path, `unknown $patch value ${JSON.stringify(d[PATCH])} in a list item: use delete or replace`)
    }
    if (!Object.hasOwn(d, key)) throw badFormat(path, `a {"$patch":"delete"} item must name its merge key "${key}"`)
    base = base.filter((b) => !(isObject(b) && sameJson(b[key], d[key])))
  }
  for (const item of plain) {
    if (!isObject(item)) throw badFormat(path, `list items must be objects with merge key "${key}", got ${JSON.stringify(item)}`)
    if (!Object.hasOwn(item, key)) throw badFormat(path, `item ${JSON.stringify(item)} does not contain declared merge key: ${key}`)
    const i = base.findIndex((b) => isObject(b) && sameJson(b[key], item[key]))
    if (i >= 0) base[i] = mergeMap(base[i] as JsonObject, item, schema.items, `${path}[${key}=${JSON.stringify(item[key])}]`)
    else base.push(mergeMap({}, item, schema.items, `${path}[${key}=${JSON.stringify(item[key])}]`))
  }
  return base
}

/**
 * Orders `list` as `order` names its items (by merge key for map lists, by value otherwise); items
 * the order does not name keep their relative order after the named ones.
 */
function reorder(list: unknown[], order: unknown[], schema: Schema, path: string): unknown[] {
  const key = schema.type === 'array' && schema.listType === 'map' ? schema.mergeKey : undefined
  const id = (x: unknown): unknown => (key && isObject(x) ? x[key] : x)
  const wanted = order.map((o) => {
    if (key) {
      if (!isObject(o) || !Object.hasOwn(o, key)) throw badFormat(path, `$setElementOrder items must name merge key "${key}"`)
      return o[key]
    }
    return o
  })
  const rest = [...list]
  const named: unknown[] = []
  for (const w of wanted) {
    const i = rest.findIndex((x) => sameJson(id(x), w))
    if (i >= 0) named.push(...rest.splice(i, 1))
  }
  return [...named, ...rest]
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}
