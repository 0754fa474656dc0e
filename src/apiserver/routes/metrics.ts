// Request metrics (`/metrics`, Prometheus text): apiserver_request_total and
// apiserver_request_duration_seconds, labelled as upstream by verb, resource and code.
// upstream: staging/src/k8s.io/apiserver/pkg/endpoints/metrics/metrics.go
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Counter, Histogram, Registry } from 'prom-client'

/** The labels a resource handler sets on its request (verb as upstream: GET, LIST, WATCH, POST, PUT, PATCH, DELETE). */
export interface RequestLabels {
  verb: string
  resource: string
}

/** The API server's metric registry (one per app, so tests can build many apps). */
export class ApiMetrics {
  readonly registry = new Registry()
  private readonly total = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, resource and HTTP response code.',
    labelNames: ['verb', 'resource', 'code'],
    registers: [this.registry],
  })
  private readonly duration = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb and resource.',
    labelNames: ['verb', 'resource'],
    buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 5, 10, 60],
    registers: [this.registry],
  })

  // Bound children per label set: prom-client hashes a label object on every inc/observe otherwise.
  private readonly children = new Map<string, { total: { inc(): void }; duration: { observe(v: number): void } }>()

  /** Records one finished request. */
  observe(labels: RequestLabels, code: number, seconds: number): void {
    const id = `${labels.verb}\0${labels.resource}\0${code}`
    let c = this.children.get(id)
    if (!c) {
      c = {
        total: this.total.labels({ verb: labels.verb, resource: labels.resource, code: String(code) }),
        duration: this.duration.labels({ verb: labels.verb, resource: labels.resource }),
      }
      this.children.set(id, c)
    }
    c.total.inc()
    c.duration.observe(seconds)
  }
}

/** Gives every request a label slot, records it on response, and serves `GET /metrics`. */
export function mountMetrics(app: FastifyInstance, metrics: ApiMetrics): void {
  app.decorateRequest('kplabLabels', null)
  app.addHook('onRequest', async (req) => {
    ;(req as FastifyRequest & { kplabLabels: RequestLabels | null }).kplabLabels = { verb: req.method, resource: '' }
  })
  app.addHook('onResponse', async (req, reply) => {
    const labels = (req as FastifyRequest & { kplabLabels: RequestLabels | null }).kplabLabels
    if (labels && labels.resource) metrics.observe(labels, reply.statusCode, reply.elapsedTime / 1000)
  })
  app.get('/metrics', async (_req, reply) => {
    const text = await metrics.registry.metrics()
    return reply.type(metrics.registry.contentType).send(text)
  })
}
