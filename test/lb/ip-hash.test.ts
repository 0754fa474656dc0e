import t from 'tap'
import { IpHashBalancer } from '../../src/lb/ip-hash.js'
import { clientIPs, endpointIds, moved } from './synthetic-load.js'

function mapping(b: IpHashBalancer, ips: string[]): Map<string, string> {
  return new Map(ips.map((ip) => [ip, b.pick({ clientIP: ip })!]))
}

const ips = clientIPs(8000)

t.test('a client always gets the same endpoint, and clients spread evenly', async (t) => {
  const b = new IpHashBalancer(160, 32)
  b.update(endpointIds(10))
  const m = mapping(b, ips)
  t.same(mapping(b, ips), m, 'stable')
  const per = new Map<string, number>()
  for (const id of m.values()) per.set(id, (per.get(id) ?? 0) + 1)
  t.equal(per.size, 10)
  // 160 points per endpoint: shares within ±30% of 1/N (reference §2.1: sd ≈ 1/√160 ≈ 8%).
  for (const [id, c] of per) t.ok(Math.abs(c / ips.length - 0.1) < 0.03, `${id}: ${(c / ips.length).toFixed(3)}`)
})

t.test('removing one of N endpoints remaps only its own clients (≈ 1/N)', async (t) => {
  const b = new IpHashBalancer(160, 32)
  b.update(endpointIds(10))
  const before = mapping(b, ips)
  b.update(endpointIds(10).filter((e) => e.id !== 'e3'))
  const after = mapping(b, ips)
  const n = moved(before, after)
  let fromOthers = 0
  for (const [ip, id] of before) if (id !== 'e3' && after.get(ip) !== id) fromOthers++
  t.equal(fromOthers, 0, 'no client of a surviving endpoint moves')
  t.ok(Math.abs(n / ips.length - 0.1) < 0.03, `remapped ${(n / ips.length).toFixed(3)} ≈ 1/10`)
})

t.test('adding an endpoint moves clients only onto it', async (t) => {
  const b = new IpHashBalancer(160, 32)
  b.update(endpointIds(9))
  const before = mapping(b, ips)
  b.update(endpointIds(10))
  const after = mapping(b, ips)
  let elsewhere = 0
  for (const [ip, id] of after) if (before.get(ip) !== id && id !== 'e9') elsewhere++
  t.equal(elsewhere, 0)
  t.ok(Math.abs(moved(before, after) / ips.length - 0.1) < 0.03)
})

t.test('ipv4PrefixLength 24 hashes the first three octets (nginx ip_hash); IPv6 hashes whole', async (t) => {
  const b = new IpHashBalancer(160, 24)
  b.update(endpointIds(10))
  const first = b.pick({ clientIP: '10.1.2.3' })
  for (const last of [4, 99, 200, 255]) t.equal(b.pick({ clientIP: `10.1.2.${last}` }), first)
  const subnets = new Set(Array.from({ length: 50 }, (_, i) => b.pick({ clientIP: `10.1.${i}.1` })))
  t.ok(subnets.size > 5, 'different /24s spread')
  const v6 = new Set(Array.from({ length: 50 }, (_, i) => b.pick({ clientIP: `fd00::${i.toString(16)}` })))
  t.ok(v6.size > 5, 'IPv6 addresses are not truncated')
})

t.test('weights give proportionally more ring points and clients', async (t) => {
  const b = new IpHashBalancer(160, 32)
  b.update([{ id: 'a', weight: 3 }, { id: 'b' }])
  let a = 0
  for (const ip of ips) if (b.pick({ clientIP: ip }) === 'a') a++
  t.ok(Math.abs(a / ips.length - 0.75) < 0.05, `weight 3 of 4: ${(a / ips.length).toFixed(3)}`)
})

t.test('without a client IP it falls back to round-robin; no endpoints gives undefined', async (t) => {
  const b = new IpHashBalancer(160, 32)
  t.equal(b.pick({ clientIP: '1.2.3.4' }), undefined)
  b.update(endpointIds(3))
  t.same([b.pick(), b.pick({}), b.pick({ clientIP: '' }), b.pick()], ['e0', 'e1', 'e2', 'e0'])
})
