// Discovery, version, OpenAPI and health endpoints: `/api`, `/apis` (aggregated v2 when asked,
// legacy otherwise), `/api/v1`, `/apis/{g}/{v}`, `/version`, `/openapi/v3[/…]`, `/healthz`, `/livez`, `/readyz`.
// upstream: staging/src/k8s.io/apiserver/pkg/endpoints/discovery/
import type { FastifyInstance, FastifyReply } from 'fastify'
import { groupVersions } from '../../api/registry.js'
import { StatusError } from '../../api/errors.js'
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions, versionInfo, wantsAggregated } from '../discovery/index.js'
import { openapiV3GroupVersion, openapiV3Root } from '../discovery/openapi.js'
import { sendStatus } from '../errors.js'
import { sendExact } from './resource.js'

/** What the discovery routes need: the address clients reach the server at (legacy `/api`). */
export interface DiscoveryRouteContext {
  /** `host:port` reported in APIVersions.serverAddressByClientCIDRs. */
  serverAddress(): string
  /** False while the server is still starting (readyz answers 500 then). */
  ready(): boolean
}

const notFound = (reply: FastifyReply): FastifyReply =>
  sendStatus(reply, new StatusError(404, 'NotFound', 'the server could not find the requested resource').toStatus())

/** Registers the discovery, OpenAPI, version and health routes. */
export async function discoveryRoutes(app: FastifyInstance, ctx: DiscoveryRouteContext): Promise<void> {
  const root = (which: 'api' | 'apis') => async (req: { headers: { accept?: string } }, reply: FastifyReply) => {
    if (wantsAggregated(req.headers.accept ?? '')) {
      // Exactly this type, or kubectl reads the body as a legacy APIGroupList (kubectl-surface.md §1).
      return sendExact(reply, AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery(which))
    }
    return reply.type('application/json').send(which === 'api' ? apiVersions(ctx.serverAddress()) : apiGroupList())
  }
  app.get('/api', root('api'))
  app.get('/apis', root('apis'))
  for (const gv of groupVersions()) {
    const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`
    app.get(path, async (_req, reply) => reply.type('application/json').send(apiResourceList(gv.group, gv.version)))
  }
  app.get('/version', async (_req, reply) => reply.type('application/json').send(versionInfo()))
  app.get('/openapi/v3', async (_req, reply) => reply.type('application/json').send(openapiV3Root()))
  app.get('/openapi/v3/*', async (req, reply) => {
    const gvPath = (req.params as { '*': string })['*']
    const doc = openapiV3GroupVersion(gvPath)
    if (!doc) return notFound(reply)
    return reply.type('application/json').send(doc)
  })
  // kubectl asks for v2 only as protobuf; a 404 is what makes it fall back to its compiled-in types.
  app.get('/openapi/v2', async (_req, reply) => notFound(reply))
  for (const path of ['/healthz', '/livez']) app.get(path, async (_req, reply) => reply.type('text/plain').send('ok'))
  app.get('/readyz', async (_req, reply) => (ctx.ready() ? reply.type('text/plain').send('ok') : reply.code(500).type('text/plain').send('[-]startup not finished\nreadyz check failed')))
}
