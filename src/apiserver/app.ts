// Builds the API server as a fastify app that tests drive with app.inject(); server.ts adds TLS,
// listening and signals.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import { parse as parseYaml } from 'yaml'
import { RESOURCES } from '../api/registry.js'
import { badRequest, unsupportedMediaType } from '../api/errors.js'
import { realClock, type Clock } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import type { Store } from '../storage/store.js'
import { Admission } from './admission/chain.js'
import { ServiceAllocation } from './admission/service-allocation.js'
import { installTokenAuth, type TokenAuthenticator } from './auth/tokens.js'
import { ACCEPTED_MEDIA_TYPES, installErrorHandling, protobufUnsupported } from './errors.js'
import { DEFAULT_MAX_REQUEST_BYTES } from './options.js'
import { RestRegistry } from './registry/index.js'
import { kubeletLogSource } from './registry/kubelet-logs.js'
import type { PodLogSource } from './registry/subresources.js'
import { ensureSystemNamespaces, reconcileKubernetesService } from './registry/system-objects.js'
import { appsV1Routes } from './routes/apps-v1.js'
import { coordinationV1Routes } from './routes/coordination-v1.js'
import { coreV1Routes } from './routes/core-v1.js'
import { discoveryRoutes } from './routes/discovery.js'
import { discoveryV1Routes } from './routes/discovery-v1.js'
import { ApiMetrics, mountMetrics } from './routes/metrics.js'
import { WatchServer } from './watch.js'

/** Options of buildApiServer. The store must be open. */
export interface BuildApiServerOptions {
  store: Store
  clock?: Clock
  /** Token checker; null or absent serves without authentication (tests, plain loopback use). */
  tokens?: TokenAuthenticator | null
  serviceClusterIPRange?: string
  serviceNodePortRange?: string
  /** Address of the `kubernetes` EndpointSlice and legacy discovery (default 127.0.0.1). */
  advertiseAddress?: string
  /** Port the `kubernetes` Service targets (default 6443; server.ts corrects it after listening on port 0). */
  securePort?: number
  /** Largest accepted request body in bytes (default 3 MiB). */
  bodyLimit?: number
  logger?: Logger
  /** TLS key and certificate (PEM): the app then serves HTTPS. */
  https?: { key: string; cert: string }
  /** Where pod logs come from; default: proxied to the kubelet of the pod's node. */
  podLogs?: PodLogSource
  /** Bearer token the log proxy presents to kubelets. */
  kubeletToken?: string
  /** Interval of watch BOOKMARK events (default 60 s on the clock). */
  bookmarkIntervalMs?: number
}

/** The server's parts, reachable as `app.kplab` (tests and server.ts use them). */
export interface ApiServerParts {
  store: Store
  registry: RestRegistry
  watches: WatchServer
  allocation: ServiceAllocation
  metrics: ApiMetrics
  /** Rewrites the `kubernetes` Service and EndpointSlice for the port actually listened on. */
  reconcileKubernetesService(securePort: number): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    kplab: ApiServerParts
  }
}

const JSON_TYPES = ['application/json', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json']

function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined
  try {
    return JSON.parse(body)
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`)
  }
}

/** Registers the body parsers kubectl needs (kubectl-surface.md §2.2), replacing fastify's defaults. */
function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, async (_req: FastifyRequest, body: string | Buffer) => parseJson(String(body)))
  app.addContentTypeParser(['application/apply-patch+yaml', 'application/yaml'], { parseAs: 'string' }, async (_req: FastifyRequest, body: string | Buffer) => {
    try {
      return parseYaml(String(body)) ?? undefined
    } catch (err) {
      throw badRequest(`the request body is not valid YAML: ${(err as Error).message}`)
    }
  })
  app.addContentTypeParser('application/vnd.kubernetes.protobuf', async () => {
    throw protobufUnsupported()
  })
  // kubectl scale --current-replicas sends its PUT without a Content-Type: read such bodies as JSON.
  app.addContentTypeParser('*', { parseAs: 'string' }, async (req: FastifyRequest, body: string | Buffer) => {
    const ct = req.headers['content-type']
    if (ct === undefined || ct.trim() === '') return parseJson(String(body))
    if (ct.includes('protobuf')) throw protobufUnsupported()
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${ACCEPTED_MEDIA_TYPES.join(', ')}`)
  })
}

/**
 * Builds the API server: parsers, errors as Status, token auth, metrics, discovery and every
 * resource route; then restores allocator state from the store and writes the system namespaces and
 * the `kubernetes` Service.
 */
export async function buildApiServer(opts: BuildApiServerOptions): Promise<FastifyInstance> {
  const clock = opts.clock ?? realClock
  const logger = opts.logger ?? silentLogger()
  const bodyLimit = opts.bodyLimit ?? DEFAULT_MAX_REQUEST_BYTES
  const serviceClusterIPRange = opts.serviceClusterIPRange ?? '10.96.0.0/12'
  const advertiseAddress = opts.advertiseAddress ?? '127.0.0.1'
  let securePort = opts.securePort ?? 6443
  const app = (opts.https
    ? Fastify({ https: opts.https, bodyLimit, forceCloseConnections: true })
    : Fastify({ bodyLimit, forceCloseConnections: true })) as unknown as FastifyInstance

  const allocation = new ServiceAllocation({ serviceClusterIPRange, serviceNodePortRange: opts.serviceNodePortRange ?? '30000-32767' })
  const admission = new Admission({ store: opts.store, allocation })
  const registry = new RestRegistry({ store: opts.store, clock, admission, logger })
  const watches = new WatchServer({ clock, logger, bookmarkIntervalMs: opts.bookmarkIntervalMs })
  const metrics = new ApiMetrics()
  const restFor = registry.restFor.bind(registry)
  let ready = false
  app.decorate('kplab', {
    store: opts.store,
    registry,
    watches,
    allocation,
    metrics,
    reconcileKubernetesService: async (port: number) => {
      securePort = port
      await reconcileKubernetesService(restFor, { serviceClusterIPRange, securePort: port, advertiseAddress })
    },
  } satisfies ApiServerParts)

  installBodyParsers(app)
  installErrorHandling(app, logger)
  if (opts.tokens) installTokenAuth(app, opts.tokens)
  mountMetrics(app, metrics)
  // Streams never finish on their own; end them so close() does not wait for clients.
  app.addHook('preClose', async () => watches.closeAll())

  const nodes = registry.restFor(RESOURCES.find((r) => r.kind === 'Node')!)
  const podLogs = opts.podLogs ?? kubeletLogSource({ getNode: (name) => nodes.get(undefined, name), token: opts.kubeletToken })
  const ctx = { registry, watches, clock, podLogs }
  await app.register(discoveryRoutes, { serverAddress: () => `${advertiseAddress}:${securePort}`, ready: () => ready })
  await app.register(coreV1Routes, ctx)
  await app.register(appsV1Routes, ctx)
  await app.register(discoveryV1Routes, ctx)
  await app.register(coordinationV1Routes, ctx)

  // Allocators start from what is stored, so a restart never hands out a taken ClusterIP or NodePort.
  const services = await opts.store.list(restFor(RESOURCES.find((r) => r.kind === 'Service')!).prefix(undefined))
  for (const problem of allocation.rebuild(services.items)) logger.warn({ problem }, 'stored Service allocation not restored')
  await ensureSystemNamespaces(restFor)
  await reconcileKubernetesService(restFor, { serviceClusterIPRange, securePort, advertiseAddress })
  ready = true
  return app
}
