import t from 'tap'
import { parseIP } from '../../../src/proxy/iptables/ip.js'
import { evaluateMatches, isLocalAddress, parseTarget, type PacketState } from '../../../src/proxy/iptables/match.js'
import { tokenize } from '../../../src/proxy/iptables/parse.js'

const ctx = { localAddresses: [parseIP('192.168.0.2')!] }
const pkt: PacketState = { src: '10.244.1.5', dst: '10.96.0.10', proto: 'udp', sport: 40000, dport: 53, mark: 0, dnat: false }
const p = (rule: string, over: Partial<PacketState> = {}): number => evaluateMatches(tokenize(rule), { ...pkt, ...over }, ctx).probability

t.test('table of matches', async (t) => {
  const rows: [string, Partial<PacketState>, number][] = [
    ['-m udp -p udp -d 10.96.0.10 --dport 53 -j X', {}, 1],
    ['-m tcp -p tcp -d 10.96.0.10 --dport 53 -j X', {}, 0],
    ['-d 10.96.0.10/32 -p udp -m udp --dport 53 -j X', {}, 1],
    ['! -s 10.244.0.0/16 -j KUBE-MARK-MASQ', {}, 0],
    ['! -s 10.244.0.0/16 -j KUBE-MARK-MASQ', { src: '192.168.0.9' }, 1],
    ['-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS', { dst: '192.168.0.2' }, 1],
    ['-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS', { dst: '127.0.0.1' }, 1],
    ['-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS', { dst: '127.0.0.1' }, 0],
    ['-m mark ! --mark 0x4000/0x4000 -j RETURN', {}, 1],
    ['-m mark ! --mark 0x4000/0x4000 -j RETURN', { mark: 0x4000 }, 0],
    ['-m conntrack --ctstate NEW -j X', {}, 1],
    ['-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP', { dnat: true }, 0],
    ['-m conntrack --ctstate INVALID -j DROP', {}, 0],
    ['-m statistic --mode random --probability 0.2500000000 -j X', {}, 0.25],
    ['-m recent --name S --rcheck --seconds 10800 --reap -j S', {}, 0],
    ['-m recent --name S --set -m udp -p udp -j DNAT --to-destination 1.1.1.1:53', {}, 1],
    ['-m nfacct --nfacct-name c -j X', {}, 1],
    ['--dport 50:60 -j X', {}, 1],
    ['-i veth+ -j X', { inInterface: 'veth123' }, 1],
    ['-i cbr0 -j X', {}, 0],
    ['-m comment --comment "a b c" -m frob --frob 1 -j X', {}, 0],
  ]
  for (const [rule, over, want] of rows) t.equal(p(rule, over), want, rule)
})

t.test('notes explain assumptions', async (t) => {
  t.match(evaluateMatches(tokenize('-m recent --rcheck -j X'), pkt, ctx).notes.join(), /assumed to miss/)
  t.match(evaluateMatches(tokenize('--frob 1 -j X'), pkt, ctx).notes.join(), /not modelled/)
})

t.test('targets and local addresses', async (t) => {
  const args = tokenize('-m tcp -p tcp -j DNAT --to-destination 10.0.0.1:80')
  const m = evaluateMatches(args, { ...pkt, proto: 'tcp' }, ctx)
  const target = parseTarget(args, m.targetAt)
  t.equal(target.target, 'DNAT')
  t.equal(target.options.get('--to-destination'), '10.0.0.1:80')
  t.same(parseTarget(tokenize('-m comment --comment x'), 3), { goto: false, options: new Map() })
  t.ok(isLocalAddress(ctx, '192.168.0.2'))
  t.notOk(isLocalAddress(ctx, '192.168.0.3'))
  t.ok(isLocalAddress(ctx, '::1'))
})
