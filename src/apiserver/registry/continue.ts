// Continue tokens of paginated lists: opaque base64 of the list revision and the last key served.
// upstream: staging/src/k8s.io/apiserver/pkg/storage/continue.go (EncodeContinue / DecodeContinue)
import { badRequest } from '../../api/errors.js'

/** What a continue token carries. */
export interface ContinueToken {
  /** Revision of the first page; later pages report it as their resourceVersion. */
  rv: number
  /** Key of the last item served; the next page starts strictly after it. */
  start: string
}

/** Encodes a token (`{"v":"meta.k8s.io/v1","rv":N,"start":"key"}` in base64url, as upstream). */
export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start }), 'utf8').toString('base64url')
}

/** Decodes a token; a malformed one is a 400 naming the parameter. */
export function decodeContinue(s: string): ContinueToken {
  try {
    const j = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: string; rv?: unknown; start?: unknown }
    if (j.v === 'meta.k8s.io/v1' && typeof j.rv === 'number' && Number.isInteger(j.rv) && typeof j.start === 'string' && j.start !== '') {
      return { rv: j.rv, start: j.start }
    }
  } catch {
    // fall through to the one error below
  }
  throw badRequest('continue key is not valid: the "continue" parameter must be a token from a previous list response')
}
