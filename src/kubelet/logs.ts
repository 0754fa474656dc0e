// Container logs: one file per container on disk (the process writes it directly, so it survives a
// kubelet restart), and the kubelet's HTTP endpoint `GET /containerLogs/{ns}/{pod}/{container}` with
// follow, tailLines, timestamps and sinceSeconds, behind a bearer token. The API server proxies
// `pods/{name}/log` here.
// upstream: pkg/kubelet/server/server.go (getContainerLogs) and pkg/kubelet/kuberuntime/logs (ReadLogs)
import { EventEmitter, once } from 'node:events'
import { createReadStream, statSync, watch, type FSWatcher } from 'node:fs'
import { open } from 'node:fs/promises'
import http from 'node:http'
import { join } from 'node:path'
import { rfc3339 } from '../api/object.js'
import type { Clock } from '../base/clock.js'

/** Where one container's log lives. */
export interface ContainerLogRef {
  path: string
}

/** Finds a container's log by namespace, pod and container name (undefined: no such container here). */
export type LogLookup = (namespace: string, pod: string, container: string) => ContainerLogRef | undefined

/** The log file of a container of a pod under the kubelet's root dir. */
export function containerLogPath(rootDir: string, podUid: string, container: string): string {
  return join(rootDir, 'pods', podUid, 'logs', `${container}.log`)
}

/** Options of a log read. */
export interface LogReadOptions {
  tailLines?: number
  sinceSeconds?: number
  timestamps?: boolean
}

/** The last n lines of text (all when n is undefined). */
export function tailLines(text: string, n: number | undefined): string {
  if (n === undefined) return text
  if (n <= 0) return ''
  const lines = text.split('\n')
  const endsWithNewline = lines[lines.length - 1] === ''
  if (endsWithNewline) lines.pop()
  return lines.slice(-n).join('\n') + (endsWithNewline && lines.length > 0 ? '\n' : '')
}

/** Prefixes each complete line with a timestamp, as `kubectl logs --timestamps` shows. */
export function withTimestamps(text: string, at: string): string {
  return text.replace(/^(?=.)/gm, `${at} `)
}

/** Options of a KubeletLogServer. */
export interface LogServerOptions {
  lookup: LogLookup
  /** Bearer tokens accepted on /containerLogs (empty: refuse everyone). */
  tokens: readonly string[]
  clock: Clock
}

/**
 * The kubelet's HTTP handler: `/healthz` (open) and `/containerLogs/...` (bearer token).
 * Timestamps are the file's modification time for lines already written and the time read for
 * followed lines: the process writes its log directly, so per-line times are not recorded.
 * Emits 'followEnd' when a follow stream ends (its client went away or closeAll()).
 */
export class KubeletLogServer extends EventEmitter {
  private readonly watchers = new Set<FSWatcher>()

  constructor(private readonly opts: LogServerOptions) {
    super()
  }

  /** The node:http request listener. */
  readonly handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    this.route(req, res).catch((e: Error) => {
      if (!res.headersSent) send(res, 500, `internal error: ${e.message}`)
      else res.destroy()
    })
  }

  /** Ends every follow stream (on shutdown). */
  closeAll(): void {
    for (const w of this.watchers) w.close()
    this.watchers.clear()
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kubelet')
    if (url.pathname === '/healthz') return send(res, 200, 'ok')
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname)
    if (!m) return send(res, 404, `404 page not found: ${url.pathname}`)
    if (req.method !== 'GET') return send(res, 405, 'method not allowed: use GET')
    const auth = req.headers.authorization ?? ''
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : ''
    if (!token || !this.opts.tokens.includes(token)) return send(res, 401, 'Unauthorized: send "Authorization: Bearer <token>" with a token the kubelet accepts')
    const [ns, pod, container] = m.slice(1).map(decodeURIComponent) as [string, string, string]
    const ref = this.opts.lookup(ns, pod, container)
    if (!ref) return send(res, 404, `container "${container}" in pod "${pod}" (namespace "${ns}") is not running on this node`)
    const q = url.searchParams
    const int = (k: string): number | undefined => (q.has(k) && /^\d+$/.test(q.get(k)!) ? Number(q.get(k)) : undefined)
    const opts: LogReadOptions = { tailLines: int('tailLines'), sinceSeconds: int('sinceSeconds'), timestamps: q.get('timestamps') === 'true' }
    const follow = q.get('follow') === 'true'
    // One log file per container across restarts: there is no separate "previous" log to serve.
    if (q.get('previous') === 'true') return send(res, 400, `previous terminated container "${container}" in pod "${pod}" not found: kplab keeps one log per container across restarts; omit --previous`)
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', ...(follow ? { 'transfer-encoding': 'chunked' } : {}) })
    const { text, size } = await this.readExisting(ref.path, opts)
    res.write(text)
    if (!follow) {
      res.end()
      return
    }
    await this.follow(ref.path, size, opts, req, res)
  }

  private async readExisting(path: string, opts: LogReadOptions): Promise<{ text: string; size: number }> {
    let st
    try {
      st = statSync(path)
    } catch {
      return { text: '', size: 0 }
    }
    if (opts.sinceSeconds !== undefined && st.mtimeMs < this.opts.clock.now() - opts.sinceSeconds * 1000) return { text: '', size: st.size }
    const fh = await open(path, 'r')
    try {
      const buf = Buffer.alloc(st.size)
      await fh.read(buf, 0, st.size, 0)
      let text = tailLines(buf.toString('utf8'), opts.tailLines)
      if (opts.timestamps) text = withTimestamps(text, rfc3339(st.mtimeMs))
      return { text, size: st.size }
    } finally {
      await fh.close()
    }
  }

  private async follow(path: string, from: number, opts: LogReadOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let offset = from
    let reading = false
    let again = false
    const pump = async (): Promise<void> => {
      if (reading) {
        again = true
        return
      }
      reading = true
      do {
        again = false
        let size = 0
        try {
          size = statSync(path).size
        } catch {
          size = 0
        }
        if (size > offset) {
          const stream = createReadStream(path, { start: offset, end: size - 1 })
          const chunks: Buffer[] = []
          for await (const c of stream) chunks.push(c as Buffer)
          offset = size
          const text = Buffer.concat(chunks).toString('utf8')
          res.write(opts.timestamps ? withTimestamps(text, rfc3339(this.opts.clock.now())) : text)
        }
      } while (again)
      reading = false
    }
    // inotify through fs.watch: woken by each write, no polling.
    const w = watch(path, () => void pump())
    this.watchers.add(w)
    const closed = once(res, 'close')
    const watcherClosed = once(w, 'close')
    await pump()
    await Promise.race([closed, watcherClosed, once(req, 'close')])
    w.close()
    this.watchers.delete(w)
    if (!res.writableEnded) res.end()
    this.emit('followEnd')
  }
}

function send(res: http.ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' })
  res.end(text.endsWith('\n') ? text : text + '\n')
}
