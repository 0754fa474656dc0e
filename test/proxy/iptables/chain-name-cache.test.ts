import t from 'tap'
import { ChainNameCache } from '../../../src/proxy/iptables/chain-name-cache.js'
import { servicePortEndpointChainName } from '../../../src/proxy/iptables/chain-names.js'

t.test('memoises KUBE-SEP names and forgets those unused for a whole generation', async (t) => {
  const c = new ChainNameCache()
  const name = c.endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80')
  t.equal(name, servicePortEndpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80'))
  c.endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.2:80')
  t.equal(c.size, 2)
  c.rotate()
  t.equal(c.endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80'), name, 'kept across one rotation')
  c.rotate()
  t.equal(c.size, 1, 'the unused name is gone after the second rotation')
})
