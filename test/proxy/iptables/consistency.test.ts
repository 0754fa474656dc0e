import t from 'tap'
import { checkConsistency } from '../../../src/proxy/iptables/consistency.js'
import { parseRuleset } from '../../../src/proxy/iptables/parse.js'

const ok = `*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-SVC-A - [0:0]
:KUBE-SEP-OLD - [0:0]
-A KUBE-SERVICES -j KUBE-SVC-A
-A KUBE-SERVICES -j KUBE-NODEPORTS
-A KUBE-SVC-A -j DNAT --to-destination 10.0.0.1:80
-X KUBE-SEP-OLD
COMMIT
`

t.test('a consistent payload has no problems (empty KUBE-NODEPORTS allowed, -X chains unused)', async (t) => {
  t.same(checkConsistency(parseRuleset(ok)), [])
})

t.test('dangling, empty, unused, deleted-while-referenced', async (t) => {
  const bad = `*nat
:KUBE-SERVICES - [0:0]
:KUBE-SVC-EMPTY - [0:0]
:KUBE-SVC-UNUSED - [0:0]
:KUBE-SEP-GONE - [0:0]
-A KUBE-SERVICES -j KUBE-SVC-MISSING
-A KUBE-SERVICES -j KUBE-SVC-EMPTY
-A KUBE-SERVICES -j KUBE-SEP-GONE
-A KUBE-SVC-UNUSED -j ACCEPT
-A KUBE-UNDECLARED -j ACCEPT
-X KUBE-SEP-GONE
COMMIT
`
  const msgs = checkConsistency(parseRuleset(bad)).map((p) => p.message)
  t.same(msgs.sort(), [
    'KUBE-SERVICES jumps to KUBE-SEP-GONE, which this payload deletes',
    'KUBE-SERVICES jumps to undeclared chain KUBE-SVC-MISSING',
    'chain KUBE-SVC-UNUSED is declared but never used',
    'jump target KUBE-SVC-EMPTY is empty',
    'rules appended to undeclared chain KUBE-UNDECLARED',
  ])
})
