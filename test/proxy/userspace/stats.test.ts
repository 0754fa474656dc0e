import t from 'tap'
import { LATENCY_BUCKETS, ProxyStats } from '../../../src/proxy/userspace/stats.js'

t.test('JSON and Prometheus views of per-endpoint counters', async (t) => {
  const s = new ProxyStats()
  const p = s.port('default/web:http', 'tcp', 'least-time')
  const e = p.endpoint('10.244.1.2:8080')
  e.connections = 3
  e.requests = 5
  e.bytesIn = 100
  e.bytesOut = 2000
  e.errors = 1
  e.observe(0.3) // 0.0003 s → first bucket
  e.observe(30) // 0.03 s → the 0.05 bucket
  p.noEndpoint = 2
  const json = s.toJSON()
  t.equal(json.servicePorts[0]!.algorithm, 'least-time')
  const ej = json.servicePorts[0]!.endpoints[0]!
  t.same([ej.connections, ej.requests, ej.bytesIn, ej.bytesOut, ej.errors], [3, 5, 100, 2000, 1])
  t.equal(ej.latency.count, 2)
  t.equal(ej.latency.buckets.length, LATENCY_BUCKETS.length + 1)
  t.equal(ej.latency.buckets[0]!.count, 1, 'cumulative: first bucket holds the 0.3 ms one')
  t.equal(ej.latency.buckets.find((b) => b.le === '0.05')!.count, 2)
  const text = s.toPrometheus()
  const l = 'service_port="default/web:http",protocol="tcp",algorithm="least-time",endpoint="10.244.1.2:8080"'
  for (const line of [
    `kplab_proxy_endpoint_active{${l}} 0`,
    `kplab_proxy_endpoint_connections_total{${l}} 3`,
    `kplab_proxy_endpoint_requests_total{${l}} 5`,
    `kplab_proxy_endpoint_bytes_total{${l},direction="in"} 100`,
    `kplab_proxy_endpoint_bytes_total{${l},direction="out"} 2000`,
    `kplab_proxy_endpoint_errors_total{${l}} 1`,
    `kplab_proxy_endpoint_duration_seconds_bucket{${l},le="+Inf"} 2`,
    `kplab_proxy_endpoint_duration_seconds_count{${l}} 2`,
    'kplab_proxy_no_endpoint_total{service_port="default/web:http"} 2',
    '# TYPE kplab_proxy_endpoint_duration_seconds histogram',
  ]) t.ok(text.split('\n').includes(line), line)
  s.remove('default/web:http')
  t.same(s.toJSON(), { servicePorts: [] })
})
