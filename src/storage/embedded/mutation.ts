import type { KubeObject } from '../../api/meta.js'
import { deepFreeze } from '../objects.js'

/** One committed change: a put (object with its resourceVersion) or a delete, at revision rev. */
export interface Mutation {
  rev: number
  key: string
  /** The new object (resourceVersion = rev), or null for a delete. */
  obj: KubeObject | null
}

/**
 * The log payload of a mutation: `{"r":rev,"k":key,"o":object}` or `{"r":rev,"k":key,"d":1}`.
 * objJson is the already-serialised object, so a write serialises its object once.
 */
export function encodeMutation(rev: number, key: string, objJson: string | null): Buffer {
  const head = `{"r":${rev},"k":${JSON.stringify(key)}`
  return Buffer.from(objJson === null ? `${head},"d":1}` : `${head},"o":${objJson}}`, 'utf8')
}

/** Parses a log payload; throws on anything that is not a well-formed mutation. */
export function decodeMutation(payload: Buffer): Mutation {
  const p = JSON.parse(payload.toString('utf8')) as { r?: unknown; k?: unknown; o?: unknown; d?: unknown }
  if (typeof p.r !== 'number' || !Number.isSafeInteger(p.r) || p.r < 1) throw new Error('log record without a valid revision "r"')
  if (typeof p.k !== 'string' || p.k === '') throw new Error(`log record ${p.r} without a key "k"`)
  if (p.d === 1) return { rev: p.r, key: p.k, obj: null }
  if (p.o === null || typeof p.o !== 'object') throw new Error(`log record ${p.r} has neither an object "o" nor "d":1`)
  return { rev: p.r, key: p.k, obj: deepFreeze(p.o as KubeObject) }
}
