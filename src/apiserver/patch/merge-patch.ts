/** A JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A deep copy of a JSON value, so results never share structure with inputs. */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (structuredClone(v) as T)
}

/**
 * Applies a JSON merge patch (RFC 7386) and returns the result; neither input is changed.
 * Objects merge key by key, `null` removes a key, anything else (arrays included) replaces.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch)
  const out: JsonObject = isObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = applyMergePatch(out[k], v)
  }
  // Untouched keys were shallow-copied above; deep-copy them too so callers can mutate freely.
  for (const k of Object.keys(out)) if (!(k in patch)) out[k] = cloneJson(out[k])
  return out
}
