import { join } from 'node:path'
import t from 'tap'
import { gatewayOf, HostLocalIpam, IpamExhaustedError, ipNumber, ipString, parseCidr } from '../../../src/kubelet/network/ipam.js'

t.test('parseCidr, ipString, gatewayOf', async (t) => {
  t.same(parseCidr('10.244.1.7/24'), { base: ipNumber('10.244.1.0'), bits: 24 })
  t.equal(ipString(ipNumber('127.244.3.9')), '127.244.3.9')
  t.equal(gatewayOf('10.244.2.0/24'), '10.244.2.1')
  t.throws(() => parseCidr('10.244.1.0'), /invalid pod CIDR "10.244.1.0"/)
})

t.test('allocate is idempotent per owner, lowest free first, and survives a restart (same file)', async (t) => {
  const file = join(t.testdir(), 'ipam.json')
  const a = new HostLocalIpam(file, '10.244.1.0/24')
  t.equal(a.allocate('pod-a'), '10.244.1.2')
  t.equal(a.allocate('pod-b'), '10.244.1.3')
  t.equal(a.allocate('pod-a'), '10.244.1.2', 'same owner, same address')
  const b = new HostLocalIpam(file, '10.244.1.0/24')
  t.same(b.allocations(), { '10.244.1.2': 'pod-a', '10.244.1.3': 'pod-b' }, 'read back after a restart')
  t.equal(b.allocate('pod-c'), '10.244.1.4', 'no address handed out twice')
  t.equal(b.release('pod-a'), '10.244.1.2')
  t.equal(new HostLocalIpam(file, '10.244.1.0/24').allocate('pod-d'), '10.244.1.2', 'a released address is reused: no leak')
})

t.test('an exhausted CIDR says how to fix it', async (t) => {
  const ipam = new HostLocalIpam(join(t.testdir(), 'ipam.json'), '10.0.0.0/30')
  t.equal(ipam.allocate('a'), '10.0.0.2')
  try {
    ipam.allocate('b')
    t.fail('expected IpamExhaustedError')
  } catch (e) {
    t.ok(e instanceof IpamExhaustedError)
  }
  t.throws(() => ipam.allocate('b'), /raise --max-pods or give the node a larger --pod-cidr/)
})
