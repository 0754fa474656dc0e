import t from 'tap'
import {
  hash16,
  isServiceChainName,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortChainName,
  servicePortEndpointChainName,
  servicePortPolicyLocalChainName,
} from '../../../src/proxy/iptables/chain-names.js'

t.test('upstream-asserted chain names (reference §2)', async (t) => {
  t.equal(servicePortChainName('ns1/svc1:p80', 'tcp'), 'KUBE-SVC-XPGD46QRK7WJZT7O')
  t.equal(servicePortPolicyLocalChainName('ns1/svc1:p80', 'tcp'), 'KUBE-SVL-XPGD46QRK7WJZT7O')
  t.equal(serviceExternalChainName('ns1/svc1:p80', 'tcp'), 'KUBE-EXT-XPGD46QRK7WJZT7O')
  t.equal(serviceFirewallChainName('ns1/svc1:p80', 'tcp'), 'KUBE-FW-XPGD46QRK7WJZT7O')
  t.equal(servicePortChainName('ns2/svc2:p8080', 'tcp'), 'KUBE-SVC-2VJB64SDSIJUP5T6')
  t.equal(servicePortEndpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ')
  t.equal(servicePortEndpointChainName('ns5/svc5:p80', 'tcp', '10.180.0.3:80'), 'KUBE-SEP-I77PXRDZVX7PMWMN')
  t.equal(servicePortChainName('ns1/svc1', 'tcp'), 'KUBE-SVC-AQI2S6QIMU7PVVRP')
  t.equal(servicePortEndpointChainName('ns1/svc1', 'tcp', '10.0.1.1:80'), 'KUBE-SEP-3JOIVZTXZZRGORX4')
  t.equal(servicePortEndpointChainName('ns1/svc1:p80', 'tcp', '[ff06::c1]:80'), 'KUBE-SEP-LIGRYQQLSZN4UWQ5')
})

t.test('names seen on real clusters', async (t) => {
  t.equal(servicePortChainName('default/kubernetes:https', 'tcp'), 'KUBE-SVC-NPX46M4PTMTKRN6Y')
  t.equal(servicePortChainName('kube-system/kube-dns:dns', 'udp'), 'KUBE-SVC-TCOU7JCQXEZGVUNU')
  t.equal(servicePortChainName('kube-system/kube-dns:dns-tcp', 'tcp'), 'KUBE-SVC-ERIFXISQEP7F7OF4')
})

t.test('hash16 is 16 base32 characters; the longest name fits iptables 28', async (t) => {
  t.match(hash16('anything'), /^[A-Z2-7]{16}$/)
  t.ok(servicePortEndpointChainName('a/b:c', 'sctp', '[fd00::1]:65535').length <= 28)
})

t.test('isServiceChainName knows the five per-service prefixes only', async (t) => {
  for (const c of ['KUBE-SVC-X', 'KUBE-SVL-X', 'KUBE-EXT-X', 'KUBE-FW-X', 'KUBE-SEP-X']) t.ok(isServiceChainName(c), c)
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-MARK-MASQ', 'KUBE-XLB-X', 'DOCKER']) t.notOk(isServiceChainName(c), c)
})
