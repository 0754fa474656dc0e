import t from 'tap'
import { parseRuleset } from '../../../src/proxy/iptables/parse.js'
import { chainDecl, findTable, indexRules, jumpTarget, rulesOf } from '../../../src/proxy/iptables/ruleset.js'

t.test('lookups over a ruleset', async (t) => {
  const rs = parseRuleset('*nat\n:A - [0:0]\n-A A -j B\n-A C -j ACCEPT\n-A A -m comment --comment "x" -j DNAT --to-destination 1.2.3.4:5\n-X D\nCOMMIT\n')
  const nat = findTable(rs, 'nat')!
  t.equal(findTable(rs, 'filter'), undefined)
  t.equal(rulesOf(nat, 'A').length, 2)
  t.same([...indexRules(nat).keys()], ['A', 'C'], '-X lines are not rules of a chain')
  t.equal(jumpTarget(['-m', 'comment', '--comment', '"x"', '-j', 'DNAT', '--to-destination', '1.2.3.4:5']), 'DNAT')
  t.equal(jumpTarget(['-m', 'comment', '--comment', '"no target"']), undefined)
  t.same(chainDecl('KUBE-X'), { name: 'KUBE-X', policy: '-', counters: '[0:0]' })
})
