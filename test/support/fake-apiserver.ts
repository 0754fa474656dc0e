// A small in-memory Kubernetes API server for client and CLI tests: CRUD on every registry resource,
// list paging, label/field selectors (equality), Tables, and watches the test controls
// (history replay, bookmarks, 410 Expired injection, dropped connections).
import http from 'node:http'
import https from 'node:https'
import { EventEmitter } from 'node:events'
import type { AddressInfo, Socket } from 'node:net'
import { StatusError, alreadyExists, conflict, notFound } from '../../src/api/errors.js'
import type { KubeObject, WatchEvent, WatchEventType } from '../../src/api/meta.js'
import { RESOURCES, groupVersion, type ResourceInfo } from '../../src/api/registry.js'

/** Options of the fake: TLS material and a bearer token to require. */
export interface FakeApiServerOptions {
  tls?: { key: Buffer | string; cert: Buffer | string }
  token?: string
}

interface Stored {
  r: ResourceInfo
  obj: KubeObject
}

interface Watcher {
  r: ResourceInfo
  namespace?: string
  query: URLSearchParams
  res: http.ServerResponse
}

interface HistoryEntry {
  rv: number
  r: ResourceInfo
  ev: WatchEvent
}

/** A request the fake received, for assertions. */
export interface SeenRequest {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

/** The fake server; emits 'request' (SeenRequest) and 'watch' (URLSearchParams) once a watch is open. */
export class FakeApiServer extends EventEmitter {
  readonly requests: SeenRequest[] = []
  /** Watches starting below this resourceVersion get a 410 Expired ERROR event. */
  expiredBelow = 0
  /** Answer an expired watch with HTTP 410 instead of a 200 stream holding an ERROR event. */
  expiredAsHttp = false
  /** Returns an error to answer a write with (e.g. a 422), or undefined to accept it. */
  validate?: (r: ResourceInfo, obj: KubeObject, method: string) => StatusError | undefined
  private rv = 100
  private readonly objects = new Map<string, Stored>()
  private readonly history: HistoryEntry[] = []
  private readonly watchers = new Set<Watcher>()
  private readonly server: http.Server
  private readonly sockets = new Set<Socket>()
  url = ''

  private constructor(private readonly opts: FakeApiServerOptions) {
    super()
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.handle(req, res).catch((err: unknown) => this.sendError(res, err))
    }
    this.server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler)
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    this.server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  /** Starts a fake on a free loopback port. */
  static async start(opts: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const f = new FakeApiServer(opts)
    await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve))
    const port = (f.server.address() as AddressInfo).port
    f.url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`
    return f
  }

  /** The current resourceVersion. */
  get resourceVersion(): string {
    return String(this.rv)
  }

  /** Creates or replaces an object as a client would, recording a watch event. */
  put(r: ResourceInfo, obj: KubeObject): KubeObject {
    const key = keyOf(r, obj.metadata.namespace, obj.metadata.name!)
    const exists = this.objects.has(key)
    const stored = this.stamp(r, obj, exists ? this.objects.get(key)!.obj : undefined)
    this.objects.set(key, { r, obj: stored })
    this.record(r, exists ? 'MODIFIED' : 'ADDED', stored)
    return stored
  }

  /** Deletes an object as a client would, recording a DELETED event. */
  remove(r: ResourceInfo, namespace: string | undefined, name: string): void {
    const key = keyOf(r, namespace, name)
    const s = this.objects.get(key)
    if (!s) throw notFound(r, name)
    this.objects.delete(key)
    this.rv++
    const obj = { ...s.obj, metadata: { ...s.obj.metadata, resourceVersion: String(this.rv) } }
    this.record(r, 'DELETED', obj)
  }

  /** Sends a BOOKMARK at the current resourceVersion to every open watch of r. */
  bookmark(r: ResourceInfo): string {
    this.rv++
    const ev: WatchEvent = { type: 'BOOKMARK', object: { apiVersion: groupVersion(r), kind: r.kind, metadata: { resourceVersion: String(this.rv) } } }
    for (const w of this.watchers) if (w.r === r) w.res.write(`${JSON.stringify(ev)}\n`)
    return String(this.rv)
  }

  /** Destroys every open watch connection mid-stream (a network failure). */
  dropWatches(): void {
    for (const w of this.watchers) w.res.socket?.destroy()
    this.watchers.clear()
  }

  /** Ends every open watch cleanly (as a server-side timeout does). */
  endWatches(): void {
    for (const w of this.watchers) w.res.end()
    this.watchers.clear()
  }

  /** Number of watches open now. */
  get openWatches(): number {
    return this.watchers.size
  }

  /** Stops the server and drops every connection. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private stamp(r: ResourceInfo, obj: KubeObject, old?: KubeObject): KubeObject {
    this.rv++
    return {
      ...obj,
      apiVersion: groupVersion(r),
      kind: r.kind,
      metadata: {
        ...obj.metadata,
        uid: old?.metadata.uid ?? obj.metadata.uid ?? `uid-${obj.metadata.name}-${this.rv}`,
        creationTimestamp: old?.metadata.creationTimestamp ?? obj.metadata.creationTimestamp ?? '2026-01-01T00:00:00Z',
        resourceVersion: String(this.rv),
      },
    }
  }

  private record(r: ResourceInfo, type: WatchEventType, obj: KubeObject): void {
    const entry: HistoryEntry = { rv: this.rv, r, ev: { type, object: obj } }
    this.history.push(entry)
    for (const w of this.watchers) if (matchesWatch(w, entry)) w.res.write(`${JSON.stringify(entry.ev)}\n`)
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const seen: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body }
    this.requests.push(seen)
    this.emit('request', seen)
    if (this.opts.token && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      throw new StatusError(401, 'Unauthorized', 'Unauthorized')
    }
    const url = new URL(req.url ?? '/', 'http://x')
    const route = parsePath(url.pathname)
    if (!route) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource')
    const { r, namespace, name } = route
    const method = req.method ?? 'GET'
    const wantsTable = (req.headers.accept ?? '').includes('as=Table')
    if (method === 'GET' && name === undefined && url.searchParams.get('watch') === 'true') return this.startWatch(r, namespace, url.searchParams, res)
    if (method === 'GET' && name === undefined) return this.send(res, 200, this.listOf(r, namespace, url.searchParams, wantsTable))
    if (method === 'GET') {
      const obj = this.getObj(r, namespace, name!)
      return this.send(res, 200, wantsTable ? tableOf([obj], String(this.rv)) : obj)
    }
    if (method === 'POST') {
      const obj = JSON.parse(body) as KubeObject
      obj.metadata = { ...obj.metadata, namespace: r.namespaced ? namespace : undefined }
      const bad = this.validate?.(r, obj, method)
      if (bad) throw bad
      if (this.objects.has(keyOf(r, namespace, obj.metadata.name!))) throw alreadyExists(r, obj.metadata.name!)
      if (url.searchParams.get('dryRun') === 'All') return this.send(res, 201, obj)
      return this.send(res, 201, this.put(r, obj))
    }
    if (method === 'PUT') {
      const obj = JSON.parse(body) as KubeObject
      const live = this.getObj(r, namespace, name!)
      if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== live.metadata.resourceVersion) throw conflict(r, name!)
      const bad = this.validate?.(r, obj, method)
      if (bad) throw bad
      return this.send(res, 200, this.put(r, { ...obj, metadata: { ...obj.metadata, namespace: live.metadata.namespace } }))
    }
    if (method === 'PATCH') {
      const live = this.getObj(r, namespace, name!)
      const patched = mergePatch(live, JSON.parse(body)) as KubeObject
      return this.send(res, 200, this.put(r, patched))
    }
    if (method === 'DELETE') {
      const live = this.getObj(r, namespace, name!)
      this.remove(r, namespace, name!)
      return this.send(res, 200, live)
    }
    throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
  }

  private getObj(r: ResourceInfo, namespace: string | undefined, name: string): KubeObject {
    const s = this.objects.get(keyOf(r, namespace, name))
    if (!s) throw notFound(r, name)
    return s.obj
  }

  private listOf(r: ResourceInfo, namespace: string | undefined, q: URLSearchParams, table: boolean): unknown {
    const all = [...this.objects.values()]
      .filter((s) => s.r === r && (!namespace || s.obj.metadata.namespace === namespace))
      .map((s) => s.obj)
      .filter((o) => matchesSelectors(o, q))
    const limit = Number(q.get('limit') ?? 0)
    const start = Number(q.get('continue') ?? 0)
    const items = limit > 0 ? all.slice(start, start + limit) : all
    const more = limit > 0 && start + limit < all.length
    if (table) return tableOf(items, String(this.rv), more ? String(start + limit) : undefined)
    const metadata: Record<string, string> = { resourceVersion: String(this.rv) }
    if (more) metadata.continue = String(start + limit)
    // Items without apiVersion/kind, as upstream serves them.
    const bare = items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest)
    return { apiVersion: groupVersion(r), kind: r.listKind, metadata, items: bare }
  }

  private startWatch(r: ResourceInfo, namespace: string | undefined, q: URLSearchParams, res: http.ServerResponse): void {
    const requested = Number(q.get('resourceVersion') || this.rv)
    if (this.expiredAsHttp && requested < this.expiredBelow) {
      this.emit('watch', q)
      throw new StatusError(410, 'Expired', `too old resource version: ${requested} (${this.expiredBelow})`)
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' })
    res.flushHeaders()
    const from = Number(q.get('resourceVersion') || this.rv)
    if (from < this.expiredBelow) {
      const status = new StatusError(410, 'Expired', `too old resource version: ${from} (${this.expiredBelow})`).toStatus()
      res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`)
      this.emit('watch', q)
      return
    }
    const w: Watcher = { r, namespace, query: q, res }
    for (const h of this.history) if (h.rv > from && matchesWatch(w, h)) res.write(`${JSON.stringify(h.ev)}\n`)
    this.watchers.add(w)
    res.on('close', () => this.watchers.delete(w))
    this.emit('watch', q)
  }

  private send(res: http.ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  private sendError(res: http.ServerResponse, err: unknown): void {
    const se = err instanceof StatusError ? err : new StatusError(500, 'InternalError', `Internal error occurred: ${(err as Error).message}`)
    if (!res.headersSent) this.send(res, se.code, se.toStatus())
  }
}

function keyOf(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${r.group}/${r.plural}/${r.namespaced ? (namespace ?? '') : ''}/${name}`
}

function parsePath(path: string): { r: ResourceInfo; namespace?: string; name?: string } | undefined {
  const parts = path.split('/').filter(Boolean)
  let group = ''
  let rest: string[]
  if (parts[0] === 'api') rest = parts.slice(2)
  else if (parts[0] === 'apis') {
    group = parts[1] ?? ''
    rest = parts.slice(3)
  } else return undefined
  let namespace: string | undefined
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]
    rest = rest.slice(2)
  }
  const r = RESOURCES.find((x) => x.group === group && x.plural === rest[0])
  if (!r) return undefined
  return { r, namespace, name: rest[1] }
}

function matchesWatch(w: Watcher, h: HistoryEntry): boolean {
  if (h.r !== w.r) return false
  if (w.namespace && h.ev.object.metadata.namespace !== w.namespace) return false
  return matchesSelectors(h.ev.object, w.query)
}

function matchesSelectors(obj: KubeObject, q: URLSearchParams): boolean {
  for (const term of (q.get('labelSelector') ?? '').split(',').filter(Boolean)) {
    const [k, v] = term.includes('!=') ? term.split('!=') : term.split('=')
    const have = obj.metadata.labels?.[k!]
    if (term.includes('!=') ? have === v : have !== v) return false
  }
  for (const term of (q.get('fieldSelector') ?? '').split(',').filter(Boolean)) {
    const neg = term.includes('!=')
    const [path, v] = neg ? term.split('!=') : term.split('=')
    let cur: unknown = obj
    for (const p of path!.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[p]
    if (neg ? String(cur ?? '') === v : String(cur ?? '') !== v) return false
  }
  return true
}

function tableOf(objs: KubeObject[], rv: string, cont?: string): unknown {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv, ...(cont ? { continue: cont } : {}) },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name' },
      { name: 'Status', type: 'string' },
      { name: 'Restarts', type: 'integer' },
      { name: 'Node', type: 'string', priority: 1 },
    ],
    rows: objs.map((o) => ({
      cells: [o.metadata.name, (o.status as { phase?: string } | undefined)?.phase ?? '<none>', 0, (o.spec as { nodeName?: string } | undefined)?.nodeName ?? '<none>'],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: o.metadata.name, namespace: o.metadata.namespace, labels: o.metadata.labels } },
    })),
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}
