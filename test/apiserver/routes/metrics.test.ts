import t from 'tap'
import { ApiMetrics } from '../../../src/apiserver/routes/metrics.js'

t.test('observe counts by verb, resource and code, and times by verb and resource', async (t) => {
  const m = new ApiMetrics()
  m.observe({ verb: 'LIST', resource: 'pods' }, 200, 0.01)
  m.observe({ verb: 'LIST', resource: 'pods' }, 200, 0.02)
  m.observe({ verb: 'POST', resource: 'services' }, 422, 0.5)
  const text = await m.registry.metrics()
  t.match(text, /apiserver_request_total\{verb="LIST",resource="pods",code="200"\} 2/)
  t.match(text, /apiserver_request_total\{verb="POST",resource="services",code="422"\} 1/)
  t.match(text, /apiserver_request_duration_seconds_count\{verb="LIST",resource="pods"\} 2/)
})

t.test('registries are per instance', async (t) => {
  const a = new ApiMetrics()
  const b = new ApiMetrics()
  a.observe({ verb: 'GET', resource: 'pods' }, 200, 0)
  t.notMatch(await b.registry.metrics(), /resource="pods"/)
})
