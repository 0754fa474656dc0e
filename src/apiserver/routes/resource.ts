// The generic resource handler every group/version plugin mounts: it maps upstream's REST paths
// (`/api/v1/namespaces/{ns}/{plural}/{name}/{subresource}`, cluster-scoped and all-namespace forms)
// onto the REST storage of the resource.
// upstream: staging/src/k8s.io/apiserver/pkg/endpoints/installer.go (registerResourceHandlers)
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { RESOURCES, type ResourceInfo } from '../../api/registry.js'
import { StatusError, badRequest, methodNotAllowed, unsupportedMediaType } from '../../api/errors.js'
import type { KubeObject } from '../../api/meta.js'
import type { Clock } from '../../base/clock.js'
import { TABLE_CONTENT_TYPE, toTable, wantsTable } from '../table/index.js'
import { sendStatus } from '../errors.js'
import { parseFieldValidation, type WriteOptions } from '../registry/decode.js'
import { deleteObject, parseDeleteOptions } from '../registry/delete.js'
import type { RestRegistry } from '../registry/index.js'
import type { ResourceRest } from '../registry/rest.js'
import { bindPod, getScale, patchScale, podLog, updateScale, type PodLogSource } from '../registry/subresources.js'
import type { IncludeObject, WatchServer } from '../watch.js'
import type { RequestLabels } from './metrics.js'
import { groupVersion } from '../../api/registry.js'
import { jsonOf } from '../../storage/objects.js'

/** What the resource routes need from the app. */
export interface ResourceRouteContext {
  registry: RestRegistry
  watches: WatchServer
  clock: Clock
  podLogs?: PodLogSource
}

/** The object a request addresses. */
export interface RequestTarget {
  resource: ResourceInfo
  namespace?: string
  name?: string
  subresource?: string
}

type Query = Record<string, string | string[] | undefined>

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']

/** Resolves the path segments after `/api/v1/` or `/apis/{g}/{v}/` to a resource, namespace, name and subresource. */
export function parseTarget(group: string, version: string, segs: string[]): RequestTarget | undefined {
  const find = (plural: string | undefined): ResourceInfo | undefined =>
    RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural)
  if (segs.some((s) => s === '')) return undefined
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    const r = find(segs[2])
    if (r?.namespaced && segs.length <= 5) return { resource: r, namespace: segs[1], name: segs[3], subresource: segs[4] }
  }
  const r = find(segs[0])
  if (!r || segs.length > 3) return undefined
  // `/api/v1/pods` lists a namespaced kind across namespaces; a name needs the namespace.
  if (r.namespaced && segs.length > 1) return undefined
  return { resource: r, name: segs[1], subresource: segs[2] }
}

const str = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v)
const bool = (v: string | string[] | undefined): boolean => str(v) === 'true' || str(v) === '1'
function int(q: Query, name: string): number | undefined {
  const v = str(q[name])
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n)) throw badRequest(`${name}: "${v}" is not an integer`)
  return n
}

function writeOptions(q: Query): WriteOptions {
  const dry = q.dryRun
  const dryValues = dry === undefined ? [] : Array.isArray(dry) ? dry : [dry]
  for (const d of dryValues) if (d !== 'All') throw badRequest(`dryRun: unsupported value "${d}"; the only supported value is All`)
  const opts: WriteOptions = { warnings: [], dryRun: dryValues.length > 0 }
  const fv = parseFieldValidation(str(q.fieldValidation))
  if (fv) opts.fieldValidation = fv
  return opts
}

function includeObjectOf(q: Query): IncludeObject {
  const v = str(q.includeObject) ?? 'Metadata'
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw badRequest(`includeObject: unsupported value "${v}"; use None, Metadata or Object`)
  return v
}

function patchType(req: FastifyRequest): string {
  const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (!PATCH_TYPES.includes(ct)) {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`)
  }
  return ct
}

/** Sends JSON under exactly this Content-Type (fastify would re-format a string type's parameters). */
export function sendExact(reply: FastifyReply, contentType: string, body: unknown): FastifyReply {
  return reply.header('content-type', contentType).send(Buffer.from(JSON.stringify(body), 'utf8'))
}

/** Sends one object as JSON, reusing the store's encoding of it when it has one (no second stringify). */
function sendObject(reply: FastifyReply, obj: KubeObject): FastifyReply {
  return reply.type('application/json').send(jsonOf(obj))
}

/** Sends `Warning: 299 - "…"` headers (kubectl prints them as `Warning: …`). */
function sendWarnings(reply: FastifyReply, warnings: string[]): void {
  if (warnings.length === 0) return
  reply.header('warning', [...new Set(warnings)].map((w) => `299 - "${w.replace(/"/g, '\\"')}"`))
}

/** Registers `ALL {prefix}/*` for one group/version and dispatches to the resource handlers. */
export function mountResourceRoutes(app: FastifyInstance, ctx: ResourceRouteContext, group: string, version: string): void {
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: `${prefix}/*`,
    handler: async (req, reply) => {
      const segs = ((req.params as { '*': string })['*'] ?? '').split('/').map(decodeURIComponent)
      const target = parseTarget(group, version, segs)
      if (!target) return sendStatus(reply, new StatusError(404, 'NotFound', 'the server could not find the requested resource').toStatus())
      return handleResource(ctx, req, reply, target)
    },
  })
}

async function handleResource(ctx: ResourceRouteContext, req: FastifyRequest, reply: FastifyReply, t: RequestTarget): Promise<unknown> {
  const r = t.resource
  const rest = ctx.registry.restFor(r)
  const q = req.query as Query
  const labels = (req as FastifyRequest & { kplabLabels?: RequestLabels }).kplabLabels
  const setVerb = (verb: string): void => {
    if (labels) {
      labels.verb = verb
      labels.resource = t.subresource ? `${r.plural}/${t.subresource}` : r.plural
    }
  }
  const ns = t.namespace
  const table = wantsTable(req.headers.accept ?? '') ? { includeObject: includeObjectOf(q) } : undefined

  if (t.subresource) {
    if (!r.subresources.includes(t.subresource)) return sendStatus(reply, new StatusError(404, 'NotFound', 'the server could not find the requested resource').toStatus())
    return handleSubresource(ctx, req, reply, rest, t, q, setVerb)
  }

  if (!t.name) {
    if (req.method === 'GET' && bool(q.watch)) {
      setVerb('WATCH')
      return ctx.watches.serve(req, reply, {
        rest,
        namespace: ns,
        resourceVersion: str(q.resourceVersion),
        labelSelector: str(q.labelSelector),
        fieldSelector: str(q.fieldSelector),
        allowWatchBookmarks: bool(q.allowWatchBookmarks),
        timeoutSeconds: int(q, 'timeoutSeconds'),
        table,
      })
    }
    if (req.method === 'GET') {
      setVerb('LIST')
      const page = await rest.list(ns, { labelSelector: str(q.labelSelector), fieldSelector: str(q.fieldSelector), limit: int(q, 'limit'), continue: str(q.continue) })
      const rv = String(page.resourceVersion)
      if (table) {
        return sendExact(reply, TABLE_CONTENT_TYPE, toTable(r, page.items, { now: ctx.clock.now(), includeObject: table.includeObject, resourceVersion: rv, continueToken: page.continue }))
      }
      const metadata: Record<string, string> = { resourceVersion: rv }
      if (page.continue) metadata.continue = page.continue
      // Same bytes as JSON.stringify of the list, but each item's stored encoding is reused.
      const head = JSON.stringify({ kind: r.listKind, apiVersion: groupVersion(r), metadata }).slice(0, -1)
      return reply.type('application/json').send(`${head},"items":[${page.items.map(jsonOf).join(',')}]}`)
    }
    if (req.method === 'POST') {
      setVerb('POST')
      const opts = writeOptions(q)
      // The parsed body belongs to this request: decode it in place rather than deep-copying it.
      const created = await rest.create(ns, req.body, { ...opts, bodyOwned: true })
      sendWarnings(reply, opts.warnings)
      return sendObject(reply.code(201), created)
    }
    if (req.method === 'DELETE') {
      setVerb('DELETECOLLECTION')
      const options = parseDeleteOptions(req.body, q)
      const page = await rest.list(ns, { labelSelector: str(q.labelSelector), fieldSelector: str(q.fieldSelector) })
      const items: KubeObject[] = []
      for (const it of page.items) items.push(await deleteObject(rest, it.metadata.namespace, it.metadata.name!, options))
      return reply.type('application/json').send({ kind: r.listKind, apiVersion: groupVersion(r), metadata: { resourceVersion: String(page.resourceVersion) }, items })
    }
    throw methodNotAllowed()
  }

  const name = t.name
  switch (req.method) {
    case 'GET': {
      if (bool(q.watch)) {
        // Deprecated single-object watch: a watch of the collection narrowed to this name.
        setVerb('WATCH')
        const fs = [`metadata.name=${name}`, str(q.fieldSelector)].filter(Boolean).join(',')
        return ctx.watches.serve(req, reply, { rest, namespace: ns, resourceVersion: str(q.resourceVersion), fieldSelector: fs, labelSelector: str(q.labelSelector), timeoutSeconds: int(q, 'timeoutSeconds'), table })
      }
      setVerb('GET')
      const obj = await rest.get(ns, name)
      if (table) return sendExact(reply, TABLE_CONTENT_TYPE, toTable(r, [obj], { now: ctx.clock.now(), includeObject: table.includeObject, resourceVersion: obj.metadata.resourceVersion }))
      return sendObject(reply, obj)
    }
    case 'PUT': {
      setVerb('PUT')
      const opts = writeOptions(q)
      const obj = await rest.update(ns, name, req.body, opts)
      sendWarnings(reply, opts.warnings)
      return sendObject(reply, obj)
    }
    case 'PATCH': {
      setVerb('PATCH')
      const opts = writeOptions(q)
      const out = await rest.patch(ns, name, patchType(req), req.body, opts)
      sendWarnings(reply, opts.warnings)
      return sendObject(reply.code(out.created ? 201 : 200), out.object)
    }
    case 'DELETE': {
      setVerb('DELETE')
      const obj = await deleteObject(rest, ns, name, parseDeleteOptions(req.body, q))
      return reply.type('application/json').send(obj)
    }
    default:
      throw methodNotAllowed()
  }
}

async function handleSubresource(
  ctx: ResourceRouteContext,
  req: FastifyRequest,
  reply: FastifyReply,
  rest: ResourceRest,
  t: RequestTarget,
  q: Query,
  setVerb: (v: string) => void,
): Promise<unknown> {
  const ns = t.namespace
  const name = t.name!
  const m = req.method
  setVerb(m === 'GET' ? 'GET' : m)
  switch (t.subresource) {
    case 'status': {
      if (m === 'GET') return reply.type('application/json').send(await rest.get(ns, name))
      const opts = writeOptions(q)
      let obj: KubeObject
      if (m === 'PUT') obj = await rest.update(ns, name, req.body, opts, 'status')
      else if (m === 'PATCH') obj = (await rest.patch(ns, name, patchType(req), req.body, opts, 'status')).object
      else throw methodNotAllowed()
      sendWarnings(reply, opts.warnings)
      return sendObject(reply, obj)
    }
    case 'scale': {
      if (m === 'GET') return reply.type('application/json').send(await getScale(rest, ns, name))
      const opts = writeOptions(q)
      if (m === 'PUT') return reply.type('application/json').send(await updateScale(rest, ns, name, opts, () => req.body))
      if (m === 'PATCH') return reply.type('application/json').send(await patchScale(rest, ns, name, patchType(req), req.body, opts))
      throw methodNotAllowed()
    }
    case 'binding': {
      if (m !== 'POST') throw methodNotAllowed()
      await bindPod(rest, ns, name, req.body, writeOptions(q))
      return reply.code(201).type('application/json').send({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 })
    }
    case 'log': {
      if (m !== 'GET') throw methodNotAllowed()
      const out = await podLog(rest, ns, name, {
        container: str(q.container),
        follow: bool(q.follow),
        tailLines: int(q, 'tailLines'),
        sinceSeconds: int(q, 'sinceSeconds'),
        timestamps: bool(q.timestamps),
        previous: bool(q.previous),
      }, ctx.podLogs)
      return reply.type('text/plain').send(out)
    }
    default:
      return sendStatus(reply, new StatusError(404, 'NotFound', 'the server could not find the requested resource').toStatus())
  }
}
