import t from 'tap'
import { compareChains, normaliseRuleset } from '../../../src/proxy/iptables/normalise.js'
import { parseRuleset } from '../../../src/proxy/iptables/parse.js'
import { renderRuleset } from '../../../src/proxy/iptables/render.js'

t.test('chain order: KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-*, then the rest', async (t) => {
  const chains = ['POSTROUTING', 'KUBE-SVC-B', 'KUBE-SERVICES', 'KUBE-EXT-A', 'KUBE-NODEPORTS', 'INPUT']
  t.same([...chains].sort(compareChains), ['KUBE-NODEPORTS', 'KUBE-SERVICES', 'KUBE-EXT-A', 'KUBE-SVC-B', 'INPUT', 'POSTROUTING'])
})

t.test('rules grouped by chain; KUBE-SERVICES sorted by service with the NODEPORTS jump last; -X at the end', async (t) => {
  const input = `*nat
:KUBE-SERVICES - [0:0]
:KUBE-SVC-B - [0:0]
:KUBE-NODEPORTS - [0:0]
-A KUBE-SERVICES -m comment --comment "ns2/b:p cluster IP" -j KUBE-SVC-B
-A KUBE-SVC-B -m comment --comment "ns2/b:p -> 1" -j X
-X KUBE-SEP-Z
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -j KUBE-NODEPORTS
-A KUBE-SERVICES -m comment --comment "ns1/a:p cluster IP" -j KUBE-SVC-A
-A KUBE-SVC-B -m comment --comment "ns2/b:p -> 2" -j Y
-X KUBE-SEP-Y
COMMIT
*filter
:KUBE-SERVICES - [0:0]
COMMIT
`
  t.equal(
    renderRuleset(normaliseRuleset(parseRuleset(input))),
    `*filter
:KUBE-SERVICES - [0:0]
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-B - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/a:p cluster IP" -j KUBE-SVC-A
-A KUBE-SERVICES -m comment --comment "ns2/b:p cluster IP" -j KUBE-SVC-B
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -j KUBE-NODEPORTS
-A KUBE-SVC-B -m comment --comment "ns2/b:p -> 1" -j X
-A KUBE-SVC-B -m comment --comment "ns2/b:p -> 2" -j Y
-X KUBE-SEP-Y
-X KUBE-SEP-Z
COMMIT
`,
  )
})
