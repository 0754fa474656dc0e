// The proxy's small HTTP endpoint on --metrics-bind-address: /metrics (Prometheus text), /stats
// (per-endpoint JSON), /ports (service port → local port) and /healthz. node:http is enough here:
// it is off the data path.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the metrics server reads; each is called per request. */
export interface MetricsSources {
  prometheus(): string
  stats(): unknown
  ports(): unknown
}

/** Starts the server; resolves with it and the bound address. */
export async function startMetricsServer(host: string, port: number, src: MetricsSources): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const send = (code: number, type: string, body: string): void => {
      res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
      res.end(body)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'only GET\n')
    if (path === '/metrics') return send(200, 'text/plain; version=0.0.4; charset=utf-8', src.prometheus())
    if (path === '/stats') return send(200, 'application/json', JSON.stringify(src.stats(), null, 2) + '\n')
    if (path === '/ports') return send(200, 'application/json', JSON.stringify(src.ports(), null, 2) + '\n')
    if (path === '/healthz') return send(200, 'text/plain', 'ok\n')
    send(404, 'text/plain', 'not found: try /metrics, /stats, /ports or /healthz\n')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const a = server.address() as AddressInfo
  const h = a.family === 'IPv6' ? `[${a.address}]` : a.address
  return { server, url: `http://${h}:${a.port}` }
}
