import t from 'tap'
import { realClock } from '../../../src/base/clock.js'
import { seededRng } from '../../../src/base/rng.js'
import { createBalancer } from '../../../src/lb/registry.js'
import { parseEndpointId, PortRuntime } from '../../../src/proxy/userspace/port-runtime.js'
import { ProxyStats } from '../../../src/proxy/userspace/stats.js'

t.test('endpoint ids parse to addresses', async (t) => {
  t.same(parseEndpointId('10.0.0.1:80'), { host: '10.0.0.1', port: 80 })
  t.same(parseEndpointId('[fd00::1]:8080'), { host: 'fd00::1', port: 8080 })
  t.equal(parseEndpointId('10.0.0.1'), undefined)
  t.equal(parseEndpointId('10.0.0.1:0'), undefined)
})

t.test('a new balancer carries the endpoints over and renames the stats algorithm', async (t) => {
  const deps = { clock: realClock, rng: seededRng(1) }
  const stats = new ProxyStats().port('a/b:c', 'tcp', 'round-robin')
  const rt = new PortRuntime(createBalancer('round-robin', {}, deps), stats)
  rt.setEndpoints([{ id: '10.0.0.1:80' }, { id: '10.0.0.2:80', ready: false }])
  t.equal(rt.balancer.pick(), '10.0.0.1:80', 'not-ready endpoints take no new traffic')
  rt.setBalancer(createBalancer('maglev', {}, deps), [{ id: '10.0.0.2:80' }])
  t.equal(rt.balancer.pick({ clientIP: '1.2.3.4' }), '10.0.0.2:80')
  t.equal(stats.algorithm, 'maglev')
  t.same(rt.address('10.0.0.1:80'), { host: '10.0.0.1', port: 80 }, 'a removed endpoint still resolves for late connections')
})
