import t from 'tap'
import { GENERATOR_DEFAULTS, ifLocal, ifNotLocal, markOf, masqueradeMarkFor, withDefaults } from '../../../src/proxy/iptables/options.js'

t.test('mark: %#08x of 1<<bit', async (t) => {
  t.equal(masqueradeMarkFor(14), '0x00004000')
  t.equal(masqueradeMarkFor(0), '0x00000001')
  t.equal(masqueradeMarkFor(31), '0x80000000')
  t.throws(() => masqueradeMarkFor(32), /0\.\.31/)
  t.equal(markOf(withDefaults({ masqueradeMark: '0x4000' })), '0x4000', 'the test harness form is an override')
})

t.test('local-traffic detectors', async (t) => {
  t.same(ifLocal({ mode: 'ClusterCIDR', cidr: '10.0.0.0/8' }), ['-s', '10.0.0.0/8'])
  t.same(ifNotLocal({ mode: 'ClusterCIDR', cidr: '10.0.0.0/8' }), ['!', '-s', '10.0.0.0/8'])
  t.same(ifNotLocal({ mode: 'BridgeInterface', interface: 'cbr0' }), ['!', '-i', 'cbr0'])
  t.same(ifLocal({ mode: 'InterfaceNamePrefix', prefix: 'veth' }), ['-i', 'veth+'])
  t.equal(ifNotLocal({ mode: 'None' }), undefined)
})

t.test('defaults are kube-proxy on a modern host', async (t) => {
  const o = withDefaults({ nfacct: { ctStateInvalidDroppedPkts: true, localhostNodePortsAcceptedPkts: false } })
  t.equal(o.randomFully, true)
  t.equal(o.localhostNodePorts, true)
  t.equal(o.largeClusterEndpointsThreshold, 1000)
  t.equal(o.nfacct.ctStateInvalidDroppedPkts, true)
  t.equal(GENERATOR_DEFAULTS.nfacct.ctStateInvalidDroppedPkts, false, 'defaults are not mutated')
})
