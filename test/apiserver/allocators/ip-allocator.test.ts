import t from 'tap'
import { ClusterIPAllocator, formatIPv4, parseIPv4 } from '../../../src/apiserver/allocators/ip-allocator.js'
import { AllocationError } from '../../../src/apiserver/allocators/errors.js'

t.test('parseIPv4 / formatIPv4 round-trip and reject junk', async (t) => {
  t.equal(parseIPv4('10.96.0.1'), 10 * 2 ** 24 + 96 * 2 ** 16 + 1)
  t.equal(formatIPv4(parseIPv4('255.255.255.255')!), '255.255.255.255')
  for (const bad of ['10.96.0', '10.96.0.256', 'a.b.c.d', '10.96.0.1.2', '']) t.equal(parseIPv4(bad), undefined, bad)
})

t.test('a /12 hands out .2 first, keeping .1 for the kubernetes Service', async (t) => {
  const a = new ClusterIPAllocator('10.96.0.0/12')
  t.equal(a.free(), 2 ** 20 - 2)
  t.equal(a.allocate(), '10.96.0.2')
  t.equal(a.allocate(), '10.96.0.3')
  a.allocateSpecific('10.96.0.1')
  t.ok(a.has('10.96.0.1'))
  t.equal(a.free(), 2 ** 20 - 5)
})

t.test('allocateSpecific errors carry upstream wording and kind', async (t) => {
  const a = new ClusterIPAllocator('10.96.0.0/12')
  a.allocateSpecific('10.96.0.10')
  t.throws(() => a.allocateSpecific('10.96.0.10'), { name: 'AllocationError', kind: 'Allocated', message: 'provided IP is already allocated' })
  t.throws(() => a.allocateSpecific('10.0.0.1'), {
    name: 'AllocationError',
    kind: 'OutOfRange',
    message: 'provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
  })
  // network and broadcast addresses are not usable
  t.throws(() => a.allocateSpecific('10.96.0.0'), { name: 'AllocationError', kind: 'OutOfRange' })
  t.throws(() => a.allocateSpecific('10.111.255.255'), { name: 'AllocationError', kind: 'OutOfRange' })
  a.allocateSpecific('10.111.255.254')
  t.throws(() => a.allocateSpecific('not-an-ip'), { name: 'AllocationError', kind: 'OutOfRange' })
})

t.test('release frees an address; the scan rotates instead of reusing it at once', async (t) => {
  const a = new ClusterIPAllocator('10.0.0.0/29', { reserveFirst: false }) // usable .1-.6
  const got = [a.allocate(), a.allocate()]
  t.same(got, ['10.0.0.1', '10.0.0.2'])
  a.release('10.0.0.1')
  t.notOk(a.has('10.0.0.1'))
  t.equal(a.allocate(), '10.0.0.3')
  a.release('10.0.0.200') // out of range: no-op
  t.equal(a.free(), 4)
})

t.test('a full range throws Full and wraps around to released addresses', async (t) => {
  const a = new ClusterIPAllocator('192.168.0.0/30') // usable .1 (reserved) and .2
  t.equal(a.allocate(), '192.168.0.2')
  const err = t.throws(() => a.allocate(), { name: 'AllocationError', kind: 'Full' }) as unknown
  t.ok(err instanceof AllocationError)
  a.release('192.168.0.2')
  t.equal(a.allocate(), '192.168.0.2')
  t.equal(a.free(), 1, 'the reserved .1 still counts as free')
})

t.test('the scan skips past full bytes of a large range', async (t) => {
  const a = new ClusterIPAllocator('10.96.0.0/12')
  const ips: string[] = []
  for (let i = 0; i < 300; i++) ips.push(a.allocate())
  t.equal(new Set(ips).size, 300)
  t.equal(ips.at(-1), '10.96.1.45') // offsets 2..301
})

t.test('rebuild marks stored ClusterIPs and reports the odd ones', async (t) => {
  const a = new ClusterIPAllocator('10.96.0.0/12')
  a.allocate()
  const report = a.rebuild(['10.96.0.1', '10.96.0.10', '10.96.0.10', '192.168.1.1'])
  t.same(report, { outOfRange: ['192.168.1.1'], duplicate: ['10.96.0.10'] })
  t.ok(a.has('10.96.0.1'))
  t.ok(a.has('10.96.0.10'))
  t.notOk(a.has('10.96.0.2'), 'earlier allocations are forgotten')
  t.equal(a.free(), 2 ** 20 - 4)
})

t.test('an invalid CIDR is refused with the expected form', async (t) => {
  t.throws(() => new ClusterIPAllocator('10.96.0.0'), /want an IPv4 CIDR/)
  t.throws(() => new ClusterIPAllocator('10.96.0.0/31'), /prefix from \/1 to \/30/)
})

t.test('a non-aligned CIDR is normalised to its network', async (t) => {
  const a = new ClusterIPAllocator('10.96.5.7/24', { reserveFirst: false })
  t.equal(a.allocate(), '10.96.5.1')
})
