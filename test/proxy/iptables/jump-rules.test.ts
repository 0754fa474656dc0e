import t from 'tap'
import { IPTABLES_JUMP_CHAINS, jumpRuleArgs } from '../../../src/proxy/iptables/jump-rules.js'

t.test('the 14 jump rules of reference §1.2, in upstream order', async (t) => {
  t.same(
    IPTABLES_JUMP_CHAINS.map((j) => `${j.table} ${j.srcChain}>${j.dstChain}`),
    [
      'filter INPUT>KUBE-EXTERNAL-SERVICES',
      'filter FORWARD>KUBE-EXTERNAL-SERVICES',
      'filter INPUT>KUBE-NODEPORTS',
      'filter FORWARD>KUBE-SERVICES',
      'filter OUTPUT>KUBE-SERVICES',
      'filter FORWARD>KUBE-FORWARD',
      'filter INPUT>KUBE-PROXY-FIREWALL',
      'filter OUTPUT>KUBE-PROXY-FIREWALL',
      'filter FORWARD>KUBE-PROXY-FIREWALL',
      'nat OUTPUT>KUBE-SERVICES',
      'nat PREROUTING>KUBE-SERVICES',
      'nat POSTROUTING>KUBE-POSTROUTING',
      'filter INPUT>KUBE-FIREWALL',
      'filter OUTPUT>KUBE-FIREWALL',
    ],
  )
})

t.test('rule args are extra args, then the comment (if any), then the jump', async (t) => {
  t.same(jumpRuleArgs(IPTABLES_JUMP_CHAINS[0]!), [
    '-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes externally-visible service portals', '-j', 'KUBE-EXTERNAL-SERVICES',
  ])
  t.same(jumpRuleArgs(IPTABLES_JUMP_CHAINS[2]!), ['-m', 'comment', '--comment', 'kubernetes health check service ports', '-j', 'KUBE-NODEPORTS'])
  t.same(jumpRuleArgs(IPTABLES_JUMP_CHAINS[12]!), ['-j', 'KUBE-FIREWALL'], 'no comment for the kubelet duplicate')
})
