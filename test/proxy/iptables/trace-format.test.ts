import t from 'tap'
import { generateRules } from '../../../src/proxy/iptables/generate.js'
import { withKubeJumpRules } from '../../../src/proxy/iptables/jump-rules.js'
import { formatTrace } from '../../../src/proxy/iptables/trace-format.js'
import { tracePacket } from '../../../src/proxy/iptables/trace.js'
import { loadGolden } from './golden-input.js'

t.test('prints each path with its matched rules, then a summary', async (t) => {
  const g = loadGolden('nodeport-cluster')
  const rs = withKubeJumpRules(generateRules(g.state, g.options).ruleset)
  const packet = { src: '203.0.113.9', dst: '192.168.56.11', dport: 30080 }
  const text = formatTrace(packet, 'network', tracePacket(rs, packet, { localAddresses: ['192.168.56.11'] }))
  t.match(text, 'packet: tcp 203.0.113.9 -> 192.168.56.11:30080 (arriving from the network: nat PREROUTING)')
  t.match(text, 'path 1 of 2, probability 1/2 (50.0000%):')
  t.match(text, '  nat    KUBE-NODEPORTS #1: -A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-CDGGSHYLG3RE2FKL')
  t.match(text, '=> accepted (filter KUBE-FORWARD), DNAT to 10.244.1.5:8080, masqueraded (source NAT)')
  t.match(text, 'summary:\n  10.244.1.5:8080 (masqueraded): 1/2 (50.0000%)\n  10.244.2.7:8080 (masqueraded): 1/2 (50.0000%)\n')
})

t.test('rejections are summarised by where they happen', async (t) => {
  const g = loadGolden('no-endpoints')
  const rs = withKubeJumpRules(generateRules(g.state, g.options).ruleset)
  const packet = { src: '10.244.3.3', dst: '10.96.70.70', dport: 80 }
  const text = formatTrace(packet, 'network', tracePacket(rs, packet, { localAddresses: ['192.168.56.11'] }))
  t.match(text, '=> rejected (filter KUBE-SERVICES), no DNAT, source kept')
  t.match(text, '  REJECT (filter KUBE-SERVICES): 1 (100.0000%)')
})
