// Per-endpoint counters of the userspace proxy: plain numbers bumped on the hot path (no label
// lookups per request), rendered on demand as JSON (`/stats`) or Prometheus text (`/metrics`).

/** Upper bounds (seconds) of the latency histogram buckets; +Inf is implicit. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const

/** Counters of one endpoint of one service port. */
export class EndpointStats {
  /** Connections (L4) or requests (L7) in flight. */
  active = 0
  /** Connections accepted to this endpoint (TCP connections, UDP flows, or upstream HTTP connections opened). */
  connections = 0
  /** HTTP requests (L7) forwarded; for L4 each connection counts as one request. */
  requests = 0
  /** Bytes from clients to the endpoint. */
  bytesIn = 0
  /** Bytes from the endpoint to clients. */
  bytesOut = 0
  /** Connect failures, resets and 5xx answers. */
  errors = 0
  /** Cumulative-free bucket counts (index i: ≤ LATENCY_BUCKETS[i]; last: +Inf). */
  readonly buckets = new Float64Array(LATENCY_BUCKETS.length + 1)
  latencySum = 0
  latencyCount = 0

  constructor(readonly endpoint: string) {}

  /** Records one finished connection or request that took `ms` milliseconds. */
  observe(ms: number): void {
    const s = ms / 1000
    let i = 0
    while (i < LATENCY_BUCKETS.length && s > LATENCY_BUCKETS[i]!) i++
    this.buckets[i]!++
    this.latencySum += s
    this.latencyCount++
  }
}

/** One service port's counters: the endpoints it has used, plus what found no endpoint. */
export class ServicePortStats {
  readonly endpoints = new Map<string, EndpointStats>()
  /** Connections or requests refused because no endpoint was available. */
  noEndpoint = 0
  /** HTTP requests rejected as malformed or ambiguous (400). */
  badRequests = 0

  constructor(
    readonly servicePort: string,
    readonly protocol: string,
    public algorithm: string,
  ) {}

  /** The endpoint's counters, created on first use (kept after removal so totals stay monotonic). */
  endpoint(id: string): EndpointStats {
    let e = this.endpoints.get(id)
    if (e === undefined) {
      e = new EndpointStats(id)
      this.endpoints.set(id, e)
    }
    return e
  }
}

/** The JSON shape of one endpoint in `/stats`. */
export interface EndpointStatsJson {
  endpoint: string
  active: number
  connections: number
  requests: number
  bytesIn: number
  bytesOut: number
  errors: number
  latency: { count: number; sumSeconds: number; buckets: { le: string; count: number }[] }
}

/** The JSON shape of one service port in `/stats`. */
export interface ServicePortStatsJson {
  servicePort: string
  protocol: string
  algorithm: string
  noEndpoint: number
  badRequests: number
  endpoints: EndpointStatsJson[]
}

/** Every service port's counters, keyed by ServicePortName string. */
export class ProxyStats {
  readonly ports = new Map<string, ServicePortStats>()

  /** The port's counters, created on first use. */
  port(name: string, protocol: string, algorithm: string): ServicePortStats {
    let p = this.ports.get(name)
    if (p === undefined) {
      p = new ServicePortStats(name, protocol, algorithm)
      this.ports.set(name, p)
    }
    p.algorithm = algorithm
    return p
  }

  /** Drops a service port that no longer exists. */
  remove(name: string): void {
    this.ports.delete(name)
  }

  /** The `/stats` document: service ports and endpoints sorted by name. */
  toJSON(): { servicePorts: ServicePortStatsJson[] } {
    const servicePorts = [...this.ports.values()].sort((a, b) => cmp(a.servicePort, b.servicePort)).map((p) => ({
      servicePort: p.servicePort,
      protocol: p.protocol,
      algorithm: p.algorithm,
      noEndpoint: p.noEndpoint,
      badRequests: p.badRequests,
      endpoints: [...p.endpoints.values()].sort((a, b) => cmp(a.endpoint, b.endpoint)).map(endpointJson),
    }))
    return { servicePorts }
  }

  /** Prometheus text exposition (version 0.0.4) of every counter. */
  toPrometheus(): string {
    const out: string[] = []
    const family = (name: string, type: string, help: string, rows: (p: ServicePortStats, e: EndpointStats, l: string) => string[]): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
      for (const p of this.ports.values()) for (const e of p.endpoints.values()) out.push(...rows(p, e, labels(p, e)))
    }
    family('kplab_proxy_endpoint_active', 'gauge', 'Connections (L4) or requests (L7) in flight to the endpoint.', (_p, e, l) => [`kplab_proxy_endpoint_active{${l}} ${e.active}`])
    family('kplab_proxy_endpoint_connections_total', 'counter', 'Connections opened to the endpoint.', (_p, e, l) => [`kplab_proxy_endpoint_connections_total{${l}} ${e.connections}`])
    family('kplab_proxy_endpoint_requests_total', 'counter', 'Requests (L7) or connections (L4) sent to the endpoint.', (_p, e, l) => [`kplab_proxy_endpoint_requests_total{${l}} ${e.requests}`])
    family('kplab_proxy_endpoint_bytes_total', 'counter', 'Bytes moved, by direction (in: client to endpoint).', (_p, e, l) => [
      `kplab_proxy_endpoint_bytes_total{${l},direction="in"} ${e.bytesIn}`,
      `kplab_proxy_endpoint_bytes_total{${l},direction="out"} ${e.bytesOut}`,
    ])
    family('kplab_proxy_endpoint_errors_total', 'counter', 'Connect failures, resets and 5xx answers from the endpoint.', (_p, e, l) => [`kplab_proxy_endpoint_errors_total{${l}} ${e.errors}`])
    family('kplab_proxy_endpoint_duration_seconds', 'histogram', 'Duration of connections (L4) or requests (L7).', (_p, e, l) => {
      const rows: string[] = []
      let acc = 0
      LATENCY_BUCKETS.forEach((b, i) => {
        acc += e.buckets[i]!
        rows.push(`kplab_proxy_endpoint_duration_seconds_bucket{${l},le="${b}"} ${acc}`)
      })
      acc += e.buckets[LATENCY_BUCKETS.length]!
      rows.push(`kplab_proxy_endpoint_duration_seconds_bucket{${l},le="+Inf"} ${acc}`)
      rows.push(`kplab_proxy_endpoint_duration_seconds_sum{${l}} ${e.latencySum}`, `kplab_proxy_endpoint_duration_seconds_count{${l}} ${e.latencyCount}`)
      return rows
    })
    out.push('# HELP kplab_proxy_no_endpoint_total Connections or requests refused because no endpoint was available.', '# TYPE kplab_proxy_no_endpoint_total counter')
    for (const p of this.ports.values()) out.push(`kplab_proxy_no_endpoint_total{service_port="${esc(p.servicePort)}"} ${p.noEndpoint}`)
    out.push('# HELP kplab_proxy_bad_requests_total HTTP requests rejected with 400 (malformed or ambiguous framing).', '# TYPE kplab_proxy_bad_requests_total counter')
    for (const p of this.ports.values()) out.push(`kplab_proxy_bad_requests_total{service_port="${esc(p.servicePort)}"} ${p.badRequests}`)
    return out.join('\n') + '\n'
  }
}

function endpointJson(e: EndpointStats): EndpointStatsJson {
  let acc = 0
  const buckets = LATENCY_BUCKETS.map((b, i) => ({ le: String(b), count: (acc += e.buckets[i]!) }))
  buckets.push({ le: '+Inf', count: acc + e.buckets[LATENCY_BUCKETS.length]! })
  return {
    endpoint: e.endpoint,
    active: e.active,
    connections: e.connections,
    requests: e.requests,
    bytesIn: e.bytesIn,
    bytesOut: e.bytesOut,
    errors: e.errors,
    latency: { count: e.latencyCount, sumSeconds: e.latencySum, buckets },
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function labels(p: ServicePortStats, e: EndpointStats): string {
  return `service_port="${esc(p.servicePort)}",protocol="${p.protocol}",algorithm="${esc(p.algorithm)}",endpoint="${esc(e.endpoint)}"`
}
