import t from 'tap'
import { generatorOptionsFromFlags } from '../../../src/proxy/iptables/generator-flags.js'

t.test('kube-proxy flags map onto generator options', async (t) => {
  t.same(generatorOptionsFromFlags({ hostnameOverride: 'n', nodeIp: '10.0.0.1, 10.0.0.2', clusterCidr: '', masqueradeAll: true, masqueradeBit: '15', nodeportAddresses: '10.0.0.0/24', iptablesLocalhostNodeports: 'false' }), {
    ipFamily: 'IPv4',
    hostname: 'n',
    nodeIPs: ['10.0.0.1', '10.0.0.2'],
    localDetector: { mode: 'None' },
    masqueradeAll: true,
    masqueradeBit: 15,
    nodePortAddresses: ['10.0.0.0/24'],
    localhostNodePorts: false,
  })
  t.throws(() => generatorOptionsFromFlags({ masqueradeBit: '32' }), /--masquerade-bit/)
  t.throws(() => generatorOptionsFromFlags({ nodeIp: 'x' }), /--node-ip/)
  t.throws(() => generatorOptionsFromFlags({ clusterCidr: '10.0.0.0' }), /--cluster-cidr/)
  t.throws(() => generatorOptionsFromFlags({ nodeportAddresses: 'nope' }), /--nodeport-addresses/)
  t.throws(() => generatorOptionsFromFlags({ iptablesLocalhostNodeports: 'maybe' }), /--iptables-localhost-nodeports: use true or false/)
})
