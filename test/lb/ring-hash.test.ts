import t from 'tap'
import { RingHashBalancer } from '../../src/lb/ring-hash.js'
import { clientIPs, endpointIds, moved } from './synthetic-load.js'

const keys = clientIPs(10000).map((ip) => `/cart/${ip}`)

function mapping(b: RingHashBalancer): Map<string, string> {
  return new Map(keys.map((k) => [k, b.pick({ hashKey: k })!]))
}

t.test('the hash key decides, before the client IP; the same key keeps its endpoint', async (t) => {
  const b = new RingHashBalancer(256)
  b.update(endpointIds(5))
  const byKey = b.pick({ hashKey: 'session-42', clientIP: '10.0.0.1' })
  for (let i = 2; i < 40; i++) t.equal(b.pick({ hashKey: 'session-42', clientIP: `10.0.0.${i}` }), byKey)
  t.equal(b.pick({ clientIP: '10.0.0.7' }), b.pick({ hashKey: '10.0.0.7' }), 'client IP is the fallback key')
  t.same([b.pick(), b.pick(), b.pick()], ['e0', 'e1', 'e2'], 'round-robin without any key')
})

t.test('removing one of N endpoints remaps only its keys (≈ 1/N)', async (t) => {
  const b = new RingHashBalancer(256)
  b.update(endpointIds(8))
  const before = mapping(b)
  b.update(endpointIds(8).filter((e) => e.id !== 'e5'))
  const after = mapping(b)
  let fromOthers = 0
  for (const [k, id] of before) if (id !== 'e5' && after.get(k) !== id) fromOthers++
  t.equal(fromOthers, 0, 'no key of a surviving endpoint moves')
  t.ok(Math.abs(moved(before, after) / keys.length - 1 / 8) < 0.03, `moved ${(moved(before, after) / keys.length).toFixed(3)}`)
})

t.test('points are shared by weight', async (t) => {
  const b = new RingHashBalancer(256)
  b.update([{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }])
  const m = mapping(b)
  let heavy = 0
  for (const id of m.values()) if (id === 'b') heavy++
  t.ok(Math.abs(heavy / keys.length - 0.75) < 0.05, `weight 3 of 4 gets ${(heavy / keys.length).toFixed(3)}`)
})
