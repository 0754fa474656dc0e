import t from 'tap'
import { CidrSet, intToIp, ipToInt } from '../../../src/controllers/node-ipam/cidr-set.js'

t.test('hands out /24s of the cluster CIDR in order, skipping taken ones, reusing freed ones', async (t) => {
  const s = new CidrSet('10.244.0.0/16', 24)
  t.ok(s.occupy('10.244.1.0/24'))
  t.notOk(s.occupy('10.245.0.0/24'), 'outside the cluster CIDR')
  t.notOk(s.occupy('10.244.2.0/25'), 'wrong mask size')
  t.same([s.allocateNext(), s.allocateNext()], ['10.244.0.0/24', '10.244.2.0/24'])
  s.release('10.244.0.0/24')
  t.equal(s.allocateNext(), '10.244.3.0/24', 'continues round before reusing')
  const tiny = new CidrSet('10.0.0.0/23', 24)
  t.same([tiny.allocateNext(), tiny.allocateNext()], ['10.0.0.0/24', '10.0.1.0/24'])
  t.throws(() => tiny.allocateNext(), /every \/24 of 10.0.0.0\/23 is in use/)
  t.throws(() => new CidrSet('10.0.0.0', 24), /not an IPv4 CIDR/)
  t.throws(() => new CidrSet('10.0.0.0/16', 8), /between the cluster prefix/)
  t.equal(intToIp(ipToInt('192.168.56.11')), '192.168.56.11')
})
