import t from 'tap'
import { canonicalIP, cidrContains, formatCIDR, ipFamilyOf, isLoopback, joinHostPort, parseCIDR, parseIP } from '../../../src/proxy/iptables/ip.js'

t.test('canonical forms as Go net.IP.String() prints them', async (t) => {
  t.equal(canonicalIP('10.0.0.1'), '10.0.0.1')
  t.equal(canonicalIP('010.000.000.001'), '10.0.0.1', 'ParseIPSloppy drops leading zeros')
  t.equal(canonicalIP('FD00:0:0:0:0:0:0:1'), 'fd00::1')
  t.equal(canonicalIP('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1', 'first longest zero run is compressed')
  t.equal(canonicalIP('::'), '::')
  t.equal(canonicalIP('1:2:3:4:5:6:7:8'), '1:2:3:4:5:6:7:8')
  t.equal(canonicalIP('1:0:3:4:5:6:7:8'), '1:0:3:4:5:6:7:8', 'a single zero group is not compressed')
  t.equal(canonicalIP('::ffff:1.2.3.4'), '::ffff:102:304')
  for (const bad of ['256.0.0.1', '1.2.3', 'a.b.c.d', '1::2::3', '', 'fd00::g']) t.equal(canonicalIP(bad), undefined, bad)
  t.equal(ipFamilyOf('::1'), 'IPv6')
  t.equal(ipFamilyOf('127.0.0.1'), 'IPv4')
})

t.test('CIDRs are masked like Go ParseCIDR and contain what they should', async (t) => {
  t.equal(formatCIDR(parseCIDR('203.0.113.000/025')!), '203.0.113.0/25')
  t.equal(formatCIDR(parseCIDR('1.2.3.4/28')!), '1.2.3.0/28')
  t.equal(formatCIDR(parseCIDR('10.1.2.3')!), '10.1.2.3/32')
  t.equal(formatCIDR(parseCIDR('2001:db8::1/64')!), '2001:db8::/64')
  t.equal(parseCIDR('10.0.0.0/33'), undefined)
  const c = parseCIDR('192.168.56.0/24')!
  t.ok(cidrContains(c, parseIP('192.168.56.11')!))
  t.notOk(cidrContains(c, parseIP('192.168.57.1')!))
  t.notOk(cidrContains(c, parseIP('::1')!), 'families differ')
  t.ok(cidrContains(parseCIDR('0.0.0.0/0')!, parseIP('8.8.8.8')!))
})

t.test('JoinHostPort and loopback', async (t) => {
  t.equal(joinHostPort('10.0.0.1', 80), '10.0.0.1:80')
  t.equal(joinHostPort('fd00::1', 80), '[fd00::1]:80')
  t.ok(isLoopback(parseIP('127.5.5.5')!))
  t.ok(isLoopback(parseIP('::1')!))
  t.notOk(isLoopback(parseIP('10.0.0.1')!))
})
