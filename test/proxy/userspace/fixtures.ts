// Shared fixtures for the userspace proxy tests (not a test file): loopback backends that name
// themselves, a slow one that answers from a timer in the backend, and Service/EndpointSlice builders.
import { EventEmitter, once } from 'node:events'
import dgram from 'node:dgram'
import http from 'node:http'
import net from 'node:net'
import type { Test } from 'tap'
import type { EndpointSlice, Service } from '../../../src/api/types.js'
import { realClock, type Clock } from '../../../src/base/clock.js'
import { seededRng } from '../../../src/base/rng.js'
import { EndpointSliceCache } from '../../../src/proxy/endpointslice-cache.js'
import { ServiceChangeTracker, type ServicePortMap } from '../../../src/proxy/service-change-tracker.js'
import { UserspaceProxier } from '../../../src/proxy/userspace/proxier.js'

/** A loopback backend: its `ip:port` id and how many connections/requests it saw. */
export interface Backend {
  id: string
  port: number
  name: string
  hits: number
  /** Emits 'hit' on every connection or request the backend receives. */
  events: EventEmitter
  close(): Promise<void>
}

/** Resolves once the backends together received `n` hits (event-driven). */
export function waitHits(backends: readonly Backend[], n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (backends.reduce((a, b) => a + b.hits, 0) < n) return
      for (const b of backends) b.events.off('hit', check)
      resolve()
    }
    for (const b of backends) b.events.on('hit', check)
    check()
  })
}

/** A TCP backend: reads one line, answers `name\n` (after `delayMs` from a backend timer) and closes. */
export async function tcpBackend(t: Test, name: string, delayMs = 0): Promise<Backend> {
  const server = net.createServer((s) => {
    s.on('error', () => {})
    s.once('data', () => {
      b.hits++
      b.events.emit('hit')
      if (delayMs > 0) setTimeout(() => s.end(`${name}\n`), delayMs)
      else s.end(`${name}\n`)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as net.AddressInfo).port
  const b: Backend = { id: `127.0.0.1:${port}`, port, name, hits: 0, events: new EventEmitter(), close: () => new Promise((r) => server.close(() => r())) }
  t.teardown(() => {
    server.close()
  })
  return b
}

/** An HTTP/1.1 keep-alive backend answering `name` (and echoing request bodies as `name:body`). */
export async function httpBackend(t: Test, name: string): Promise<Backend & { server: http.Server; connections: number }> {
  const server = http.createServer((req, res) => {
    b.hits++
    b.events.emit('hit')
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      const text = body === '' ? name : `${name}:${body}`
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) })
      res.end(text)
    })
  })
  server.keepAliveTimeout = 30_000
  server.on('connection', () => b.connections++)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as net.AddressInfo).port
  const b = { id: `127.0.0.1:${port}`, port, name, hits: 0, events: new EventEmitter(), connections: 0, server, close: () => new Promise<void>((r) => server.close(() => r())) }
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return b
}

/** A UDP echo backend answering `name:payload`. */
export async function udpBackend(t: Test, name: string): Promise<Backend> {
  const sock = dgram.createSocket('udp4')
  sock.on('message', (m, r) => {
    b.hits++
    b.events.emit('hit')
    sock.send(`${name}:${m.toString()}`, r.port, r.address)
  })
  sock.bind(0, '127.0.0.1')
  await once(sock, 'listening')
  const port = sock.address().port
  const b: Backend = { id: `127.0.0.1:${port}`, port, name, hits: 0, events: new EventEmitter(), close: () => new Promise((r) => sock.close(() => r())) }
  t.teardown(() => {
    try {
      sock.close()
    } catch {
      // already closed by the test
    }
  })
  return b
}

/** What a Service fixture takes. */
export interface ServiceSpecInput {
  name?: string
  protocol?: 'TCP' | 'UDP'
  appProtocol?: string
  annotations?: Record<string, string>
  sessionAffinity?: 'ClientIP'
}

/** A ClusterIP Service `default/<name>` with one port `p` (80). */
export function service(input: ServiceSpecInput = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: input.name ?? 'web', namespace: 'default', uid: 'uid-1', annotations: input.annotations ?? {} },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.50',
      ports: [{ name: 'p', port: 80, protocol: input.protocol ?? 'TCP', targetPort: 8080, ...(input.appProtocol ? { appProtocol: input.appProtocol } : {}) }],
      ...(input.sessionAffinity ? { sessionAffinity: input.sessionAffinity } : {}),
    },
  } as Service
}

/** One EndpointSlice per backend (each backend has its own port), for Service `svcName` port `p`. */
export function slicesFor(svcName: string, backends: readonly { port: number; name: string }[], protocol: 'TCP' | 'UDP' = 'TCP', ready = true): EndpointSlice[] {
  return backends.map((b) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svcName}-${b.name}`, namespace: 'default', labels: { 'kubernetes.io/service-name': svcName } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready, serving: true, terminating: !ready }, nodeName: 'node-1' }],
    ports: [{ name: 'p', port: b.port, protocol }],
  }))
}

/** A proxier wired to trackers, with helpers to apply objects and sync. */
export interface Harness {
  proxier: UserspaceProxier
  clock: Clock
  map: ServicePortMap
  apply(svc: Service | undefined, slices: EndpointSlice[], removeSlices?: EndpointSlice[]): Promise<void>
  port(name?: string): number
}

/** Builds a proxier on loopback with a seeded RNG (real clock unless given: latency is measured); closed at teardown. */
export function harness(t: Test, defaultAlgorithm = 'round-robin', seed = 'kplab', clock: Clock = realClock): Harness {
  const proxier = new UserspaceProxier({ clock, rng: seededRng(seed), defaultAlgorithm, bindAddress: '127.0.0.1', udpIdleTimeoutMs: 1000 })
  t.teardown(() => proxier.close(false))
  const sct = new ServiceChangeTracker()
  const cache = new EndpointSliceCache('node-1')
  const map: ServicePortMap = new Map()
  let lastSvc: Service | undefined
  const endpoints = new Map<string, ReturnType<EndpointSliceCache['endpointsForService']> extends Map<string, infer V> ? V : never>()
  return {
    proxier,
    clock,
    map,
    async apply(svc, slices, removeSlices = []) {
      if (svc !== undefined) {
        sct.update(lastSvc, svc)
        lastSvc = svc
      }
      for (const s of slices) cache.updatePending(s, false)
      for (const s of removeSlices) cache.updatePending(s, true)
      sct.applyTo(map)
      for (const key of cache.checkoutChanges()) for (const [k, v] of cache.endpointsForService(key)) endpoints.set(k, v)
      await proxier.sync(map, (spn) => endpoints.get(spn) ?? [])
    },
    port(name = 'default/web:p') {
      const p = proxier.listenPort(name)
      if (p === undefined) throw new Error(`no listener for ${name}`)
      return p
    },
  }
}

/** Opens a TCP connection to the proxy, sends a line, resolves with the answer. */
export function tcpAsk(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('hi\n'))
    let d = ''
    s.setEncoding('utf8')
    s.on('data', (c: string) => (d += c))
    s.on('end', () => resolve(d.trim()))
    s.on('error', reject)
  })
}

/** Runs `total` TCP asks with `concurrency` in flight (closed loop, event-driven); answers by name. */
export async function tcpLoad(port: number, total: number, concurrency: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  let started = 0
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++
      const a = await tcpAsk(port)
      counts.set(a, (counts.get(a) ?? 0) + 1)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return counts
}
