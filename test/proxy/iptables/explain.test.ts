import t from 'tap'
import { explainRules } from '../../../src/proxy/iptables/explain.js'
import { loadGolden } from './golden-input.js'

t.test('explains the cascade as exactly 1/N per endpoint', async (t) => {
  const g = loadGolden('session-affinity')
  const text = explainRules(g.state, g.options)
  t.match(text, 'default/sticky:http (TCP 10.96.60.60:80)')
  t.match(text, 'first, a client seen in the last 600s goes back to its endpoint')
  t.match(text, 'picks one of 3 endpoints, each with probability exactly 1/3')
  t.match(text, 'rule 1 matches 0.3333333333 of what reaches it -> 1/3')
  t.match(text, 'rule 2 matches 0.5000000000 of what reaches it -> 1/3')
  t.match(text, 'rule 3 takes the rest -> 1/3')
})

t.test('external paths, local policy and no-endpoint services in words', async (t) => {
  const etp = loadGolden('etp-local')
  const text = explainRules(etp.state, etp.options)
  t.match(text, 'from outside: NodePort 30400 (KUBE-NODEPORTS), load-balancer IP 198.51.100.40 -> KUBE-EXT-3VBGCRIV4MDO2DCY')
  t.match(text, 'other clients -> KUBE-SVL-3VBGCRIV4MDO2DCY (endpoints on this node)')
  t.match(text, 'other clients are dropped here: no endpoint on this node')
  t.match(text, 'KUBE-SVL-3VBGCRIV4MDO2DCY sends everything to its only endpoint 10.244.1.40:80 (on this node)')
  const none = loadGolden('no-endpoints')
  t.match(explainRules(none.state, none.options), 'no usable endpoint: packets to the cluster IP are rejected')
  const lb = loadGolden('loadbalancer-source-ranges')
  t.match(explainRules(lb.state, lb.options), 'via KUBE-FW-OTVU7MV6PRR7MW2X (only from 203.0.113.0/24, 192.168.56.0/24)')
  t.match(explainRules({ services: [], endpointSlices: [] }), 'no service ports to proxy')
})
