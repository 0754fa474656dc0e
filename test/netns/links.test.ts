import t from 'tap'
import { addressStep, assertCidr, assertIfName, bridgeStep, linkUpStep, masterStep, routeStep, vethStep } from '../../src/netns/links.js'
import { stepLine } from '../../src/netns/step.js'

t.test('link steps are exact ip commands inside the named namespaces', async (t) => {
  const lines = [
    vethStep({ netns: 'kplab-a-pod1', name: 'eth0' }, { netns: 'kplab-a-node', name: 'veth1' }),
    bridgeStep('kplab-a-node', 'cbr0'),
    masterStep('kplab-a-node', 'veth1', 'cbr0'),
    linkUpStep('kplab-a-node', 'veth1'),
    addressStep('kplab-a-pod1', 'eth0', '10.244.1.2/24'),
    routeStep('kplab-a-pod1', { to: 'default', via: '10.244.1.1' }),
    routeStep('kplab-a-node', { to: '10.244.2.0/24', via: '192.168.56.11', dev: 'eth1' }),
    routeStep('kplab-a-node', { to: '10.96.0.0/12', dev: 'cbr0' }),
  ].map(stepLine)
  t.same(lines, [
    'ip -n kplab-a-pod1 link add eth0 type veth peer name veth1 netns kplab-a-node',
    'ip -n kplab-a-node link add cbr0 type bridge',
    'ip -n kplab-a-node link set veth1 master cbr0',
    'ip -n kplab-a-node link set veth1 up',
    'ip -n kplab-a-pod1 addr add 10.244.1.2/24 dev eth0',
    'ip -n kplab-a-pod1 route add default via 10.244.1.1',
    'ip -n kplab-a-node route add 10.244.2.0/24 via 192.168.56.11 dev eth1',
    'ip -n kplab-a-node route add 10.96.0.0/12 dev cbr0',
  ])
})

t.test('bad names, addresses and routes are rejected with the field named', async (t) => {
  t.throws(() => assertIfName('a-very-long-name'), /IFNAMSIZ/)
  t.throws(() => assertIfName('eth 0'), /invalid interface name/)
  t.doesNotThrow(() => assertIfName('veth-15-chars-x'))
  t.throws(() => assertCidr('10.244.1.2'), /IP\/prefix-length/)
  t.throws(() => assertCidr('10.244.1.2/33'), /invalid address/)
  t.throws(() => assertCidr('nope/24'), /invalid address/)
  t.doesNotThrow(() => assertCidr('fd00::2/64'))
  t.throws(() => routeStep('kplab-a-n', { to: 'default' }), /needs "via"/)
  t.throws(() => routeStep('kplab-a-n', { to: '10.0.0.0', via: '10.0.0.1' }), /route destination/)
  t.throws(() => routeStep('kplab-a-n', { to: 'default', via: 'gw' }), /gateway/)
  t.throws(() => vethStep({ netns: '', name: 'eth0' }, { netns: 'kplab-a-n', name: 'veth0' }), /network namespace name/)
})
