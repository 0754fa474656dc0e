import t from 'tap'
import { generateRules } from '../../../src/proxy/iptables/generate.js'
import { withKubeJumpRules } from '../../../src/proxy/iptables/jump-rules.js'
import { parseRuleset } from '../../../src/proxy/iptables/parse.js'
import { describeProbability, splitDestination, tracePacket, type TracePacket } from '../../../src/proxy/iptables/trace.js'
import { loadGolden } from './golden-input.js'

const NODE = '192.168.56.11'

interface Case {
  name: string
  golden: string
  packet: TracePacket
  origin?: 'network' | 'local'
  /** Expected outcomes: [destination or verdict, probability as a fraction, masqueraded]. */
  want: [string, string, boolean][]
  note?: RegExp
}

// Expectations come from reading the golden rules (test/fixtures/iptables/*.rules) by hand.
const cases: Case[] = [
  { name: 'pod to ClusterIP: 1/2 each, source kept', golden: 'nodeport-cluster', packet: { src: '10.244.3.3', dst: '10.96.10.10', dport: 80 }, want: [['10.244.1.5:8080', '1/2', false], ['10.244.2.7:8080', '1/2', false]] },
  { name: 'off-cluster client to ClusterIP is masqueraded', golden: 'nodeport-cluster', packet: { src: '192.168.56.1', dst: '10.96.10.10', dport: 80 }, want: [['10.244.1.5:8080', '1/2', true], ['10.244.2.7:8080', '1/2', true]] },
  { name: 'external client to NodePort (eTP Cluster) is masqueraded', golden: 'nodeport-cluster', packet: { src: '203.0.113.9', dst: NODE, dport: 30080 }, want: [['10.244.1.5:8080', '1/2', true], ['10.244.2.7:8080', '1/2', true]] },
  { name: 'localhost NodePort from the node', golden: 'nodeport-cluster', origin: 'local', packet: { src: '127.0.0.1', dst: '127.0.0.1', dport: 30080 }, want: [['10.244.1.5:8080', '1/2', true], ['10.244.2.7:8080', '1/2', true]] },
  { name: 'wrong port: not a service, no DNAT', golden: 'nodeport-cluster', packet: { src: '10.244.3.3', dst: '10.96.10.10', dport: 81 }, want: [['ACCEPT', '1', false]] },
  { name: 'ClientIP affinity: first packet follows the cascade', golden: 'session-affinity', packet: { src: '10.244.3.3', dst: '10.96.60.60', dport: 80 }, want: [['10.244.1.61:8080', '1/3', false], ['10.244.2.62:8080', '1/3', false], ['10.244.3.63:8080', '1/3', false]], note: /--rcheck assumed to miss/ },
  { name: 'no endpoints: ClusterIP rejected in filter KUBE-SERVICES', golden: 'no-endpoints', packet: { src: '10.244.3.3', dst: '10.96.70.70', dport: 80 }, want: [['REJECT filter KUBE-SERVICES', '1', false]] },
  { name: 'no endpoints: NodePort rejected in KUBE-EXTERNAL-SERVICES', golden: 'no-endpoints', packet: { src: '203.0.113.9', dst: NODE, dport: 30700 }, want: [['REJECT filter KUBE-EXTERNAL-SERVICES', '1', false]] },
  { name: 'no endpoints: external IP rejected', golden: 'no-endpoints', packet: { src: '203.0.113.9', dst: '192.168.56.201', dport: 80 }, want: [['REJECT filter KUBE-EXTERNAL-SERVICES', '1', false]] },
  { name: 'LB source range: outsider dropped by KUBE-PROXY-FIREWALL', golden: 'loadbalancer-source-ranges', packet: { src: '8.8.8.8', dst: '198.51.100.10', dport: 443 }, want: [['DROP filter KUBE-PROXY-FIREWALL', '1', false]] },
  { name: 'LB source range: allowed client reaches the endpoint', golden: 'loadbalancer-source-ranges', packet: { src: '203.0.113.7', dst: '198.51.100.11', dport: 443 }, want: [['10.244.2.3:8443', '1', true]] },
  { name: 'eTP Local: external client goes to the local endpoint only, source kept', golden: 'etp-local', packet: { src: '203.0.113.9', dst: '198.51.100.40', dport: 80 }, want: [['10.244.1.40:80', '1', false]] },
  { name: 'eTP Local: pods short-circuit to all endpoints', golden: 'etp-local', packet: { src: '10.244.3.3', dst: '198.51.100.40', dport: 80 }, want: [['10.244.1.40:80', '1/2', false], ['10.244.2.40:80', '1/2', false]] },
  { name: 'eTP Local without local endpoint: NodePort dropped', golden: 'etp-local', packet: { src: '203.0.113.9', dst: NODE, dport: 30401 }, want: [['DROP filter KUBE-EXTERNAL-SERVICES', '1', false]] },
  { name: 'eTP Local without local endpoint: the node itself is routed and masqueraded', golden: 'etp-local', origin: 'local', packet: { src: NODE, dst: NODE, dport: 30401 }, want: [['10.244.2.41:80', '1', true]] },
  { name: 'iTP Local: local endpoint only', golden: 'itp-local', packet: { src: '10.244.1.7', dst: '10.96.50.50', dport: 53, proto: 'udp' }, want: [['10.244.1.53:53', '1', false]] },
  { name: 'iTP Local without local endpoint: dropped', golden: 'itp-local', packet: { src: '10.244.1.7', dst: '10.96.50.51', dport: 9000 }, want: [['DROP filter KUBE-SERVICES', '1', false]] },
  { name: 'UDP rule does not match TCP', golden: 'itp-local', packet: { src: '10.244.1.7', dst: '10.96.50.50', dport: 53, proto: 'tcp' }, want: [['ACCEPT', '1', false]] },
  { name: 'localhost NodePorts off: 127.0.0.1 is not a NodePort', golden: 'localhost-nodeports-off', origin: 'local', packet: { src: '127.0.0.1', dst: '127.0.0.1', dport: 31400 }, want: [['ACCEPT', '1', false]] },
  { name: 'masquerade-all: even pods are masqueraded', golden: 'masquerade-all', packet: { src: '10.244.3.3', dst: '10.96.120.120', dport: 80 }, want: [['10.244.1.120:8080', '1', true]] },
  { name: 'hairpin: a pod reaching itself through the VIP is masqueraded', golden: 'masquerade-all', packet: { src: '10.244.1.120', dst: '10.96.120.120', dport: 80 }, want: [['10.244.1.120:8080', '1', true]] },
  { name: 'four endpoints: 1/4 each', golden: 'large-cluster', packet: { src: '10.244.9.9', dst: '10.96.150.150', dport: 80 }, want: [['10.244.1.151:8080', '1/4', false], ['10.244.2.152:8080', '1/4', false], ['10.244.3.153:8080', '1/4', false], ['10.244.4.154:8080', '1/4', false]] },
]

for (const c of cases) {
  t.test(c.name, async (t) => {
    const g = loadGolden(c.golden)
    const rs = withKubeJumpRules(generateRules(g.state, g.options).ruleset)
    const out = tracePacket(rs, c.packet, { localAddresses: [NODE], ...(c.origin ? { origin: c.origin } : {}) })
    const got = out.map((o): [string, string, boolean] => [o.verdict !== 'ACCEPT' ? `${o.verdict} ${o.decidedBy}` : (o.dnat ?? 'ACCEPT'), describeProbability(o.probability), o.masquerade])
    t.same(got.sort(), [...c.want].sort())
    const total = out.reduce((s, o) => s + o.probability, 0)
    t.ok(Math.abs(total - 1) < 1e-9, 'probabilities add up to 1')
    if (c.note) t.match(out.flatMap((o) => o.notes).join('\n'), c.note)
  })
}

t.test('every matched rule is reported, in order', async (t) => {
  const g = loadGolden('masquerade-all')
  const rs = withKubeJumpRules(generateRules(g.state, g.options).ruleset)
  const [o] = tracePacket(rs, { src: '10.244.3.3', dst: '10.96.120.120', dport: 80 }, { localAddresses: [NODE] })
  const nat = o!.steps.filter((s) => s.table === 'nat').map((s) => `${s.chain}#${s.position}`)
  t.same(nat.slice(0, 6), ['PREROUTING#1', 'KUBE-SERVICES#1', 'KUBE-SVC-CDGGSHYLG3RE2FKL#1', 'KUBE-MARK-MASQ#1', 'KUBE-SVC-CDGGSHYLG3RE2FKL#2', 'KUBE-SEP-PZDDJ2JXFWZNWYZ6#2'])
  t.same(nat.slice(6), ['POSTROUTING#1', 'KUBE-POSTROUTING#2', 'KUBE-POSTROUTING#3'], 'marked, so RETURN is skipped and MASQUERADE applies')
})

t.test('traces an iptables-save dump (built-in chains present, save-style arguments)', async (t) => {
  const dump = `# Generated by iptables-save v1.8.9 on Wed Nov 25 10:00:00 2026
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-X - [0:0]
:KUBE-SEP-A - [0:0]
:KUBE-SEP-B - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-X
-A KUBE-SVC-X -m comment --comment "default/kubernetes:https -> 192.168.56.10:6443" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-A
-A KUBE-SVC-X -m comment --comment "default/kubernetes:https -> 192.168.56.11:6443" -j KUBE-SEP-B
-A KUBE-SEP-A -p tcp -m comment --comment "default/kubernetes:https" -m tcp -j DNAT --to-destination 192.168.56.10:6443
-A KUBE-SEP-B -p tcp -m comment --comment "default/kubernetes:https" -m tcp -j DNAT --to-destination 192.168.56.11:6443
COMMIT
`
  const out = tracePacket(parseRuleset(dump), { src: '10.244.1.2', dst: '10.96.0.1', dport: 443 }, { localAddresses: [NODE] })
  t.same(out.map((o) => [o.dnat, describeProbability(o.probability)]), [['192.168.56.10:6443', '1/2'], ['192.168.56.11:6443', '1/2']])
  t.equal(out[1]!.verdict, 'ACCEPT', 'to a local address: filter INPUT (absent) accepts')
})

t.test('splitDestination and describeProbability', async (t) => {
  t.same(splitDestination('10.0.0.1:80', 1), { ip: '10.0.0.1', port: 80 })
  t.same(splitDestination('10.0.0.1', 7), { ip: '10.0.0.1', port: 7 })
  t.same(splitDestination('[fd00::1]:8080', 1), { ip: 'fd00::1', port: 8080 })
  t.same(splitDestination('10.0.0.1:80-90', 1), { ip: '10.0.0.1', port: 80 })
  t.equal(describeProbability(0.6666666667 * 0.5), '1/3')
  t.equal(describeProbability(1), '1')
  t.equal(describeProbability(Math.PI / 10), '0.3142')
})

t.test('withKubeJumpRules adds the built-in chains in the order a fresh node ends up with', async (t) => {
  const g = loadGolden('nodeport-cluster')
  const rs = withKubeJumpRules(generateRules(g.state, g.options).ruleset)
  const filter = rs.tables.find((x) => x.name === 'filter')!
  t.same(
    filter.rules.filter((r) => r.chain === 'INPUT').map((r) => r.args.at(-1)),
    ['KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES'],
    'each jump is prepended, so the last ensured comes first',
  )
  t.same(rs.tables.find((x) => x.name === 'nat')!.rules.slice(0, 3).map((r) => `${r.chain} ${r.args.join(' ')}`), [
    'POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    'PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    'OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  ])
  const noFirewall = withKubeJumpRules(generateRules(g.state, { ...g.options, localhostNodePorts: false }).ruleset, false)
  t.notOk(noFirewall.tables[0]!.rules.some((r) => r.args.includes('KUBE-FIREWALL')), 'no KUBE-FIREWALL jump without the chain')
  t.same(withKubeJumpRules(rs).tables[0]!.rules.length, filter.rules.length, 'a ruleset that already has built-in rules is left alone')
})
