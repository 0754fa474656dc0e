// A typed REST client for the Kubernetes API (kplab's apiserver or a real one): paths from the
// resource registry, JSON bodies, Status errors decoded into StatusError, list paging and watch.
import http from 'node:http'
import https from 'node:https'
import type { IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import { StatusError, type Status } from '../api/errors.js'
import type { KubeList, KubeObject, WatchEvent } from '../api/meta.js'
import { groupVersion, qualifiedResource, type ResourceInfo } from '../api/registry.js'
import type { ClientConfig } from './kubeconfig.js'
import { TABLE_ACCEPT, type Table } from './table.js'
import { decodeWatchStream } from './watch-stream.js'

/** Query options of a list (all optional, as on the wire). */
export interface ListOptions {
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  continue?: string
  resourceVersion?: string
  resourceVersionMatch?: 'Exact' | 'NotOlderThan'
}

/** Query options of a watch; `signal` ends the stream cleanly. */
export interface WatchOptions {
  labelSelector?: string
  fieldSelector?: string
  resourceVersion?: string
  allowWatchBookmarks?: boolean
  timeoutSeconds?: number
  signal?: AbortSignal
}

/** Options of create/update/patch. */
export interface WriteOptions {
  /** `dryRun=All`: validate and admit, store nothing. */
  dryRun?: boolean
  fieldManager?: string
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore'
}

/** Options of delete, sent as a DeleteOptions body. */
export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan'
  gracePeriodSeconds?: number
  dryRun?: boolean
  preconditions?: { uid?: string; resourceVersion?: string }
}

/** The patch Content-Types the API accepts. */
export type PatchType =
  | 'application/merge-patch+json'
  | 'application/strategic-merge-patch+json'
  | 'application/json-patch+json'
  | 'application/apply-patch+yaml'

/** One raw HTTP request to the API. */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  contentType?: string
  accept?: string
  signal?: AbortSignal
  /** Names the resource (and object) in errors built for answers that carry no Status. */
  resource?: ResourceInfo
  name?: string
}

/** Options of the client itself. */
export interface RestClientOptions {
  userAgent?: string
}

/** A typed client for one API server; one keep-alive connection pool, closed by close(). */
export class RestClient {
  /** The default namespace from the kubeconfig context (or `-n`). */
  readonly namespace: string
  private readonly agent: http.Agent
  private readonly base: URL
  private readonly headers: Record<string, string>

  constructor(
    readonly config: ClientConfig,
    opts: RestClientOptions = {},
  ) {
    this.base = new URL(config.server)
    this.namespace = config.namespace
    const tls = this.base.protocol === 'https:'
    this.agent = tls
      ? new https.Agent({
          keepAlive: true,
          ca: config.ca,
          cert: config.cert,
          key: config.key,
          rejectUnauthorized: !config.insecureSkipTLSVerify,
        })
      : new http.Agent({ keepAlive: true })
    this.headers = { 'User-Agent': opts.userAgent ?? 'kplab/0.1.0' }
    if (config.token && tls) this.headers.Authorization = `Bearer ${config.token}`
  }

  /** The REST path of a collection or object: `/apis/apps/v1/namespaces/default/deployments/web[/status]`. */
  resourcePath(r: ResourceInfo, namespace?: string, name?: string, subresource?: string): string {
    let p = r.group ? `/apis/${groupVersion(r)}` : `/api/${r.version}`
    if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`
    p += `/${r.plural}`
    if (name !== undefined) {
      if (name === '') throw new StatusError(400, 'BadRequest', `resource name may not be empty (${qualifiedResource(r)})`)
      p += `/${encodeURIComponent(name)}`
    }
    if (subresource) p += `/${subresource}`
    return p
  }

  /** Gets one object (namespace undefined: the client's default); 404 is a StatusError with reason NotFound. */
  async get<T extends KubeObject = KubeObject>(r: ResourceInfo, namespace: string | undefined, name: string, opts: { signal?: AbortSignal } = {}): Promise<T> {
    return this.request<T>('GET', this.resourcePath(r, this.objectNamespace(r, namespace), name), { signal: opts.signal, resource: r, name })
  }

  /** Lists one page; namespace undefined lists across all namespaces. */
  async list<T extends KubeObject = KubeObject>(r: ResourceInfo, opts: ListOptions & { namespace?: string; signal?: AbortSignal } = {}): Promise<KubeList<T>> {
    const { namespace, signal, ...query } = opts
    return this.request<KubeList<T>>('GET', this.resourcePath(r, namespace), { query: { ...query }, signal, resource: r })
  }

  /** Lists every page, following `continue`; the result carries the last page's resourceVersion. */
  async listAll<T extends KubeObject = KubeObject>(r: ResourceInfo, opts: ListOptions & { namespace?: string; signal?: AbortSignal } = {}): Promise<KubeList<T>> {
    const pageSize = opts.limit ?? 500
    let page = await this.list<T>(r, { ...opts, limit: pageSize })
    const items = [...page.items]
    while (page.metadata?.continue) {
      // upstream: client-go/tools/pager/pager.go — later pages carry continue only, no resourceVersion
      const { resourceVersion: _rv, resourceVersionMatch: _m, ...rest } = opts
      page = await this.list<T>(r, { ...rest, limit: pageSize, continue: page.metadata.continue })
      items.push(...page.items)
    }
    return { ...page, metadata: { resourceVersion: page.metadata?.resourceVersion }, items }
  }

  /** Creates an object in its own namespace (metadata.namespace) or the given one. */
  async create<T extends KubeObject>(r: ResourceInfo, obj: T, opts: WriteOptions & { namespace?: string } = {}): Promise<T> {
    const ns = obj.metadata?.namespace || opts.namespace || (r.namespaced ? this.namespace : undefined)
    return this.request<T>('POST', this.resourcePath(r, ns), { body: obj, query: writeQuery(opts) })
  }

  /** Replaces an object (PUT); a stale metadata.resourceVersion is a 409 Conflict. */
  async update<T extends KubeObject>(r: ResourceInfo, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>('PUT', this.objectPath(r, obj), { body: obj, query: writeQuery(opts) })
  }

  /** Replaces an object's status subresource (PUT …/status). */
  async updateStatus<T extends KubeObject>(r: ResourceInfo, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>('PUT', this.objectPath(r, obj, 'status'), { body: obj, query: writeQuery(opts) })
  }

  /** Patches an object (or a subresource) with the given patch type. */
  async patch<T extends KubeObject = KubeObject>(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    contentType: PatchType,
    opts: WriteOptions & { subresource?: string; force?: boolean } = {},
  ): Promise<T> {
    const query = { ...writeQuery(opts), force: opts.force }
    return this.request<T>('PATCH', this.resourcePath(r, this.objectNamespace(r, namespace), name, opts.subresource), { body: patch, contentType, query, resource: r, name })
  }

  /** Deletes an object; resolves with what the server returns (the object, or a Success Status). */
  async delete(r: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject | Status> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' }
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds
    if (opts.preconditions) body.preconditions = opts.preconditions
    if (opts.dryRun) body.dryRun = ['All']
    return this.request('DELETE', this.resourcePath(r, this.objectNamespace(r, namespace), name), { body, resource: r, name })
  }

  /** Gets a server-side Table (what `kubectl get` prints) for a list, or for one object when name is given. */
  async table(r: ResourceInfo, opts: ListOptions & { namespace?: string; name?: string } = {}): Promise<Table | KubeObject | KubeList> {
    const { namespace, name, ...query } = opts
    if (name !== undefined) return this.request('GET', this.resourcePath(r, namespace, name), { accept: TABLE_ACCEPT })
    return this.request('GET', this.resourcePath(r, namespace), { accept: TABLE_ACCEPT, query: { limit: 500, ...query } })
  }

  /**
   * Watches a collection: yields `{type, object}` events until the server ends the stream (returns)
   * or the signal aborts (returns, no error). A failed start throws the server's StatusError;
   * ERROR events (e.g. 410 Expired) are yielded as they come, for the caller to act on.
   */
  async *watch<T extends KubeObject = KubeObject>(r: ResourceInfo, opts: WatchOptions & { namespace?: string } = {}): AsyncGenerator<WatchEvent<T>> {
    const { namespace, signal, ...q } = opts
    if (signal?.aborted) return
    let res: IncomingMessage
    try {
      res = await this.send('GET', this.resourcePath(r, namespace), { query: { ...q, watch: true }, signal })
    } catch (err) {
      if (signal?.aborted) return
      throw err
    }
    if ((res.statusCode ?? 0) >= 300) {
      throw decodeError(res.statusCode ?? 0, await readBody(res), 'GET', r)
    }
    try {
      for await (const ev of decodeWatchStream<T>(res)) yield ev
    } catch (err) {
      if (signal?.aborted) return
      throw err
    } finally {
      // The consumer stopped early (break/return): drop the connection rather than drain it.
      res.destroy()
    }
  }

  /** Sends a request and decodes the JSON answer; non-2xx answers throw StatusError. */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts)
    const text = await readBody(res)
    const code = res.statusCode ?? 0
    if (code < 200 || code >= 300) throw decodeError(code, text, method, opts.resource, opts.name)
    if (text === '') return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new StatusError(500, 'InternalError', `the server answered ${method} ${path} with a body that is not JSON: ${text.slice(0, 200)}`)
    }
  }

  /** Closes idle keep-alive connections, so a process can exit. */
  close(): void {
    this.agent.destroy()
  }

  // One object of a namespaced resource always lives in a namespace: the client's default if none is given.
  private objectNamespace(r: ResourceInfo, namespace: string | undefined): string | undefined {
    return r.namespaced ? namespace || this.namespace : undefined
  }

  private objectPath(r: ResourceInfo, obj: KubeObject, subresource?: string): string {
    const name = obj.metadata?.name
    if (!name) throw new StatusError(400, 'BadRequest', `${qualifiedResource(r)}: metadata.name is required to update an object`)
    const ns = obj.metadata.namespace || (r.namespaced ? this.namespace : undefined)
    return this.resourcePath(r, ns, name, subresource)
  }

  private send(method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base)
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v))
    }
    const headers: Record<string, string> = { ...this.headers, Accept: opts.accept ?? 'application/json' }
    let payload: Buffer | undefined
    if (opts.body !== undefined) {
      payload = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body))
      headers['Content-Type'] = opts.contentType ?? 'application/json'
      headers['Content-Length'] = String(payload.length)
    }
    const mod = url.protocol === 'https:' ? https : http
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers, agent: this.agent, signal: opts.signal }, resolve)
      req.on('error', (err) => reject(connectionError(err, url)))
      req.end(payload)
    })
  }
}

function writeQuery(opts: WriteOptions): Record<string, string | undefined> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, fieldValidation: opts.fieldValidation }
}

function connectionError(err: Error, url: URL): Error {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ECONNREFUSED') {
    const e = new Error(`The connection to the server ${url.host} was refused - did you specify the right host or port?`, { cause: err })
    ;(e as NodeJS.ErrnoException).code = code
    return e
  }
  return err
}

async function readBody(res: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of res) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The error for a non-2xx answer: the server's Status when it sent one, else one built from the code.
 * upstream: apimachinery/pkg/api/errors/errors.go (NewGenericServerResponse)
 */
export function decodeError(code: number, body: string, method: string, r?: ResourceInfo, name?: string): StatusError {
  try {
    const s = JSON.parse(body) as Partial<Status>
    if (s && s.kind === 'Status' && typeof s.code === 'number') {
      return new StatusError(s.code || code, s.reason || 'Unknown', s.message ?? '', s.details)
    }
  } catch {
    // Not JSON: fall through to the generic message, as client-go does.
  }
  let reason = 'Unknown'
  let message = `the server responded with the status code ${code} but did not return more information`
  switch (code) {
    case 409:
      reason = method === 'POST' ? 'AlreadyExists' : 'Conflict'
      message = 'the server reported a conflict'
      break
    case 404:
      reason = 'NotFound'
      message = 'the server could not find the requested resource'
      break
    case 400:
      reason = 'BadRequest'
      message = 'the server rejected our request for an unknown reason'
      break
    case 401:
      reason = 'Unauthorized'
      message = 'the server has asked for the client to provide credentials'
      break
    case 403:
      reason = 'Forbidden'
      message = body.trim()
      break
    case 405:
      reason = 'MethodNotAllowed'
      message = 'the server does not allow this method on the requested resource'
      break
    case 410:
      reason = 'Expired'
      message = body.trim() || 'too old resource version'
      break
    case 422:
      reason = 'Invalid'
      message = 'the server rejected our request due to an error in our request'
      break
    case 429:
      reason = 'TooManyRequests'
      message = 'the server has received too many requests and has asked us to try again later'
      break
    case 504:
      reason = 'Timeout'
      message = 'the server was unable to return a response in the time allotted, but may still be processing the request'
      break
    default:
      if (code >= 500) {
        reason = 'InternalError'
        message = `an error on the server (${JSON.stringify(body.trim())}) has prevented the request from succeeding`
      }
  }
  if (r) message += name ? ` (${method.toLowerCase()} ${qualifiedResource(r)} ${name})` : ` (${method.toLowerCase()} ${qualifiedResource(r)})`
  return new StatusError(code, reason, message, r ? { name, group: r.group || undefined, kind: r.plural } : undefined)
}
