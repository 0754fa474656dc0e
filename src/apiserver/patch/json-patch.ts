import { StatusError, badRequest } from '../../api/errors.js'
import { cloneJson, isObject } from './merge-patch.js'

/** One RFC 6902 operation as sent by `kubectl patch --type=json`. */
export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test'
  path: string
  value?: unknown
  from?: string
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test'])

// upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (applyJSPatch): a patch that
// cannot be decoded is a 400, one that cannot be applied to this object is a 422.
function unprocessable(message: string): StatusError {
  return new StatusError(422, 'Invalid', message)
}

/** Splits a JSON pointer (RFC 6901) into unescaped tokens; `''` is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer "${pointer}": it must be empty or start with "/"`)
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function arrayIndex(token: string, len: number, forAdd: boolean, path: string): number {
  if (forAdd && token === '-') return len
  if (!/^(0|[1-9]\d*)$/.test(token)) throw unprocessable(`invalid array index "${token}" in path "${path}"`)
  const i = Number(token)
  if (i > len || (!forAdd && i === len)) throw unprocessable(`array index ${i} out of bounds (length ${len}) in path "${path}"`)
  return i
}

/** The container of the last token and that token; throws 422 when a parent is missing. */
function parentOf(doc: unknown, tokens: string[], path: string): { parent: unknown; key: string } {
  let cur = doc
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false, path)]
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t]
    else throw unprocessable(`path "${path}" does not exist: missing "${t}"`)
  }
  return { parent: cur, key: tokens.at(-1)! }
}

function get(doc: unknown, path: string): unknown {
  let cur = doc
  for (const t of parsePointer(path)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false, path)]
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t]
    else throw unprocessable(`path "${path}" does not exist`)
  }
  return cur
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parsePointer(path)
  if (tokens.length === 0) return value
  const { parent, key } = parentOf(doc, tokens, path)
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, true, path), 0, value)
  else if (isObject(parent)) parent[key] = value
  else throw unprocessable(`cannot add at "${path}": the parent is not an object or array`)
  return doc
}

function remove(doc: unknown, path: string): { doc: unknown; removed: unknown } {
  const tokens = parsePointer(path)
  if (tokens.length === 0) return { doc: undefined, removed: doc }
  const { parent, key } = parentOf(doc, tokens, path)
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(key, parent.length, false, path), 1)
    return { doc, removed }
  }
  if (isObject(parent) && Object.hasOwn(parent, key)) {
    const removed = parent[key]
    delete parent[key]
    return { doc, removed }
  }
  throw unprocessable(`cannot remove "${path}": it does not exist`)
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
  }
  return false
}

function validateOps(ops: unknown): JsonPatchOp[] {
  if (!Array.isArray(ops)) throw badRequest('a JSON patch must be a JSON array of operations, e.g. [{"op":"replace","path":"/spec/replicas","value":3}]')
  ops.forEach((o, i) => {
    if (!isObject(o) || typeof o.op !== 'string' || !OPS.has(o.op)) {
      throw badRequest(`JSON patch operation ${i}: "op" must be one of add, remove, replace, move, copy, test`)
    }
    if (typeof o.path !== 'string') throw badRequest(`JSON patch operation ${i} (${o.op}): "path" must be a string`)
    if ((o.op === 'move' || o.op === 'copy') && typeof o.from !== 'string') {
      throw badRequest(`JSON patch operation ${i} (${o.op}): "from" must be a string`)
    }
    if ((o.op === 'add' || o.op === 'replace' || o.op === 'test') && !Object.hasOwn(o, 'value')) {
      throw badRequest(`JSON patch operation ${i} (${o.op}): "value" is required`)
    }
  })
  return ops as JsonPatchOp[]
}

/**
 * Applies a JSON patch (RFC 6902) to a copy of `doc` and returns it; `doc` is never changed.
 * A malformed patch is a 400 StatusError, one that does not fit the document a 422.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  let out = cloneJson(doc)
  for (const [i, op] of validateOps(ops).entries()) {
    try {
      switch (op.op) {
        case 'add':
          out = add(out, op.path, cloneJson(op.value))
          break
        case 'remove':
          out = remove(out, op.path).doc
          break
        case 'replace':
          get(out, op.path) // must exist
          out = add(remove(out, op.path).doc, op.path, cloneJson(op.value))
          break
        case 'move': {
          if (op.path.startsWith(`${op.from!}/`)) throw unprocessable(`cannot move "${op.from}" into its own child "${op.path}"`)
          const r = remove(out, op.from!)
          out = add(r.doc, op.path, r.removed)
          break
        }
        case 'copy':
          out = add(out, op.path, cloneJson(get(out, op.from!)))
          break
        case 'test':
          if (!deepEqual(get(out, op.path), op.value)) {
            throw unprocessable(`test failed: the value at "${op.path}" is ${JSON.stringify(get(out, op.path))}, not ${JSON.stringify(op.value)}`)
          }
          break
      }
    } catch (e) {
      if (e instanceof StatusError) throw new StatusError(e.code, e.reason, `JSON patch operation ${i} (${op.op} ${op.path}): ${e.message}`)
      throw e
    }
  }
  return out
}
