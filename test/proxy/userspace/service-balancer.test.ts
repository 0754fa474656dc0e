import t from 'tap'
import { FakeClock } from '../../../src/base/clock.js'
import { seededRng } from '../../../src/base/rng.js'
import { proxyServicePorts } from '../../../src/proxy/service-change-tracker.js'
import { balancerConfigKey, balancerFor } from '../../../src/proxy/userspace/service-balancer.js'
import { service } from './fixtures.js'

const deps = { clock: new FakeClock(), rng: seededRng(1) }
const port = (annotations: Record<string, string>, affinity = false) => proxyServicePorts(service({ annotations, ...(affinity ? { sessionAffinity: 'ClientIP' as const } : {}) }))[0]!

t.test('the annotation chooses the algorithm, the default applies otherwise', async (t) => {
  t.equal(balancerFor(port({}), 'least-connection', deps).balancer.algorithm, 'least-connection')
  const c = balancerFor(port({ 'kplab.io/lb-algorithm': 'p2c', 'kplab.io/lb-params': '{"choices": 3}' }), 'round-robin', deps)
  t.equal(c.balancer.algorithm, 'power-of-two-choices')
  t.equal(c.warning, undefined)
})

t.test('unknown names and bad params fall back with a warning naming the annotation', async (t) => {
  const u = balancerFor(port({ 'kplab.io/lb-algorithm': 'fastest', 'kplab.io/lb-params': '{"choices": 3}' }), 'round-robin', deps)
  t.equal(u.balancer.algorithm, 'round-robin')
  t.equal(u.warning?.reason, 'UnknownLBAlgorithm')
  t.match(u.warning?.message, /kplab\.io\/lb-algorithm.*"fastest".*using round-robin/)
  const p = balancerFor(port({ 'kplab.io/lb-algorithm': 'p2c', 'kplab.io/lb-params': '{"choices": 0}' }), 'round-robin', deps)
  t.equal(p.balancer.algorithm, 'power-of-two-choices', 'the named algorithm is kept, without parameters')
  t.equal(p.warning?.reason, 'InvalidLBParams')
  t.match(p.warning?.message, /params\.choices/)
})

t.test('sessionAffinity ClientIP pins a client to its endpoint', async (t) => {
  const b = balancerFor(port({}, true), 'round-robin', deps).balancer
  b.update([{ id: 'a:1' }, { id: 'b:1' }, { id: 'c:1' }])
  const first = b.pick({ clientIP: '192.168.56.100' })!
  b.onStart(first)
  b.onFinish(first, { ok: true, durationMs: 1 })
  for (let i = 0; i < 5; i++) t.equal(b.pick({ clientIP: '192.168.56.100' }), first)
  t.not(balancerConfigKey(port({}, true), 'rr'), balancerConfigKey(port({}), 'rr'), 'affinity is part of the config key')
})
