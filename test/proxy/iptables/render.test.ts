import t from 'tap'
import { renderChainLine, renderRuleLine, renderRuleset, renderTable } from '../../../src/proxy/iptables/render.js'
import { chainDecl } from '../../../src/proxy/iptables/ruleset.js'

t.test('lines as iptables-restore reads them', async (t) => {
  t.equal(renderChainLine(chainDecl('KUBE-SERVICES')), ':KUBE-SERVICES - [0:0]')
  t.equal(renderRuleLine({ op: '-A', chain: 'KUBE-MARK-MASQ', args: ['-j', 'MARK', '--or-mark', '0x00004000'] }), '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000')
  t.equal(renderRuleLine({ op: '-X', chain: 'KUBE-SEP-X', args: [] }), '-X KUBE-SEP-X')
  t.equal(renderRuleLine({ op: '-A', chain: 'C', args: ['-j', 'ACCEPT'], counters: '[1:2]' }), '[1:2] -A C -j ACCEPT')
})

t.test('tables: *name, chains, rules, COMMIT; payload: tables in order', async (t) => {
  const filter = { name: 'filter', chains: [chainDecl('KUBE-FORWARD')], rules: [{ op: '-A' as const, chain: 'KUBE-FORWARD', args: ['-j', 'ACCEPT'] }] }
  t.equal(renderTable(filter), '*filter\n:KUBE-FORWARD - [0:0]\n-A KUBE-FORWARD -j ACCEPT\nCOMMIT\n')
  t.equal(renderRuleset({ tables: [filter, { name: 'nat', chains: [], rules: [] }], trailer: ['# end'] }), '*filter\n:KUBE-FORWARD - [0:0]\n-A KUBE-FORWARD -j ACCEPT\nCOMMIT\n*nat\nCOMMIT\n# end\n')
})
