// Turns a watch response body (one JSON object per line) into watch events.
import type { Readable } from 'node:stream'
import type { WatchEvent } from '../api/meta.js'

const TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'])

/** A watch stream line that is not a `{type, object}` event: the server or a proxy sent garbage. */
export class WatchDecodeError extends Error {
  constructor(readonly line: string) {
    super(`watch stream: cannot decode line ${JSON.stringify(line.slice(0, 200))}`)
    this.name = 'WatchDecodeError'
  }
}

/**
 * Yields one event per newline-delimited JSON line of `body`; ends when the body ends.
 * upstream: apimachinery/pkg/watch/streamwatcher.go (decode loop; JSON framing is one object per line)
 */
export async function* decodeWatchStream<T = unknown>(body: Readable): AsyncGenerator<WatchEvent<T>> {
  let buf = ''
  for await (const chunk of body) {
    buf += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8')
    let nl: number
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim()
      buf = buf.slice(nl + 1)
      if (line !== '') yield decodeLine<T>(line)
    }
  }
  const rest = buf.trim()
  if (rest !== '') yield decodeLine<T>(rest)
}

function decodeLine<T>(line: string): WatchEvent<T> {
  let ev: unknown
  try {
    ev = JSON.parse(line)
  } catch {
    throw new WatchDecodeError(line)
  }
  const e = ev as { type?: unknown; object?: unknown }
  if (typeof e !== 'object' || e === null || typeof e.type !== 'string' || !TYPES.has(e.type) || typeof e.object !== 'object' || e.object === null) {
    throw new WatchDecodeError(line)
  }
  return e as WatchEvent<T>
}
