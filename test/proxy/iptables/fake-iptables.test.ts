import t from 'tap'
import { CommandError } from '../../../src/base/errors.js'
import { FakeIptables, tokenizeRule } from '../../../src/proxy/iptables/fake-iptables.js'
import { isNotFoundError, RestoreError } from '../../../src/proxy/iptables/restore.js'

const base = [
  '*nat',
  ':KUBE-SERVICES - [0:0]',
  ':KUBE-SVC-A - [0:0]',
  ':KUBE-SEP-A - [0:0]',
  '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "ns/a cluster IP" -m tcp --dport 80 -j KUBE-SVC-A',
  '-A KUBE-SVC-A -m comment --comment ns/a -j KUBE-SEP-A',
  '-A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:8080',
  '-A OUTPUT -j KUBE-SERVICES',
  'COMMIT',
  '',
].join('\n')

t.test('tokenizeRule groups double quotes and honours backslash escapes', async (t) => {
  t.same(tokenizeRule('-A X -m comment --comment "a b"  -j Y'), ['-A', 'X', '-m', 'comment', '--comment', 'a b', '-j', 'Y'])
  t.same(tokenizeRule('--comment "say \\"hi\\"" ""'), ['--comment', 'say "hi"', ''])
  t.throws(() => tokenizeRule('--comment "open'), /unterminated quote/)
})

t.test('restore builds chains and save prints them like iptables-save', async (t) => {
  const ipt = new FakeIptables()
  await ipt.restore(base)
  t.equal(
    await ipt.save('nat'),
    [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':INPUT ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':POSTROUTING ACCEPT [0:0]',
      ':KUBE-SEP-A - [0:0]',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-A - [0:0]',
      '-A OUTPUT -j KUBE-SERVICES',
      '-A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:8080',
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "ns/a cluster IP" -m tcp --dport 80 -j KUBE-SVC-A',
      '-A KUBE-SVC-A -m comment --comment ns/a -j KUBE-SEP-A',
      'COMMIT',
      '',
    ].join('\n'),
  )
  t.same(await ipt.save(), await ipt.save('nat'), 'only touched tables are saved')
})

t.test('--noflush: a chain line flushes a user chain, built-in chains keep their rules', async (t) => {
  const ipt = new FakeIptables()
  await ipt.restore(base)
  await ipt.restore('*nat\n:OUTPUT ACCEPT [0:0]\n:KUBE-SEP-A - [0:0]\n-A KUBE-SEP-A -j RETURN\nCOMMIT\n')
  t.same(ipt.rules('nat', 'OUTPUT'), [['-j', 'KUBE-SERVICES']])
  t.same(ipt.rules('nat', 'KUBE-SEP-A'), [['-j', 'RETURN']])
  t.same(ipt.rules('nat', 'KUBE-SVC-A'), [['-m', 'comment', '--comment', 'ns/a', '-j', 'KUBE-SEP-A']], 'unnamed chain untouched')
})

t.test('a stale chain is flushed and deleted in one payload once nothing references it', async (t) => {
  const ipt = new FakeIptables()
  await ipt.restore(base)
  await ipt.restore('*nat\n:KUBE-SVC-A - [0:0]\n:KUBE-SEP-A - [0:0]\n-A KUBE-SVC-A -j RETURN\n-X KUBE-SEP-A\nCOMMIT\n')
  t.notOk(ipt.chains('nat').includes('KUBE-SEP-A'))
})

t.test('the kernel rules: dangling jumps, deleting referenced or non-empty chains fail atomically', async (t) => {
  const ipt = new FakeIptables()
  await ipt.restore(base)
  const before = await ipt.save()
  const cases: [string, number][] = [
    ['*nat\n:KUBE-X - [0:0]\n-A KUBE-X -j KUBE-NOPE\nCOMMIT\n', 3],
    ['*nat\n-X KUBE-SEP-A\nCOMMIT\n', 2],
    ['*nat\n:KUBE-SEP-A - [0:0]\n-X KUBE-SEP-A\nCOMMIT\n', 3],
    ['*nat\n-A KUBE-MISSING -j ACCEPT\nCOMMIT\n', 2],
    ['*nat\n-X PREROUTING\nCOMMIT\n', 2],
    ['*nat\n-D OUTPUT -j KUBE-NOPE\nCOMMIT\n', 2],
    ['*nat\n:KUBE-THIS-NAME-IS-FAR-TOO-LONG-X - [0:0]\nCOMMIT\n', 2],
    ['*nat\n-A OUTPUT --comment "open\nCOMMIT\n', 2],
    ['*nat\n:KUBE-Y - [0:0]\n', 3],
    ['-A OUTPUT -j ACCEPT\n', 1],
  ]
  for (const [payload, line] of cases) {
    const err = await ipt.restore(payload).catch((e: unknown) => e)
    t.ok(err instanceof RestoreError, payload)
    t.equal((err as RestoreError).line, line, `line of ${JSON.stringify(payload)}`)
  }
  t.equal(await ipt.save(), before, 'nothing changed')
  // -X KUBE-SEP-A after a flush still fails: KUBE-SVC-A jumps to it.
  t.match(String(await ipt.restore(cases[2]![0]).catch((e: unknown) => e)), /referenced from KUBE-SVC-A/)
})

t.test('COMMIT is atomic per table: an earlier table stays committed', async (t) => {
  const ipt = new FakeIptables()
  await t.rejects(ipt.restore('*filter\n:KUBE-F - [0:0]\nCOMMIT\n*nat\n-A OUTPUT -j KUBE-NOPE\nCOMMIT\n'), RestoreError)
  t.ok(ipt.chains('filter').includes('KUBE-F'))
  t.same(ipt.rules('nat', 'OUTPUT'), [])
})

t.test('without --noflush a table starts from its built-in chains; counters and -T are honoured', async (t) => {
  const ipt = new FakeIptables()
  await ipt.restore(base)
  await ipt.restore('*nat\n:KUBE-B - [0:0]\n[5:300] -A KUBE-B -j RETURN\nCOMMIT\n', { noflush: false })
  t.same(ipt.chains('nat'), ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'KUBE-B'])
  t.same(ipt.rules('nat', 'KUBE-B'), [['-j', 'RETURN']], 'counter prefix dropped')
  await ipt.restore('*filter\n:KUBE-F - [0:0]\nCOMMIT\n*nat\n:KUBE-C - [0:0]\nCOMMIT\n', { table: 'nat' })
  t.notOk(ipt.chains('filter').includes('KUBE-F'), 'other tables ignored with -T')
  t.ok(ipt.chains('nat').includes('KUBE-C'))
  await ipt.restore('*nat\n:PREROUTING DROP [0:0]\n-I OUTPUT 1 -j ACCEPT\n-I OUTPUT 1 -j RETURN\n-D OUTPUT 2\nCOMMIT\n')
  t.match(await ipt.save('nat'), /:PREROUTING DROP/)
  t.same(ipt.rules('nat', 'OUTPUT'), [['-j', 'RETURN']])
  await t.rejects(ipt.restore('*nat\n:KUBE-D ACCEPT [0:0]\nCOMMIT\n'), /Bad built-in chain name/)
})

t.test('primitives behave like iptables commands', async (t) => {
  const ipt = new FakeIptables()
  t.equal(await ipt.ensureChain('nat', 'KUBE-A'), false)
  t.equal(await ipt.ensureChain('nat', 'KUBE-A'), true)
  t.equal(await ipt.ensureRule('append', 'nat', 'KUBE-A', ['-j', 'RETURN']), false)
  t.equal(await ipt.ensureRule('prepend', 'nat', 'KUBE-A', ['-s', '10.0.0.1', '-j', 'ACCEPT']), false)
  t.equal(await ipt.ensureRule('prepend', 'nat', 'KUBE-A', ['-j', 'RETURN']), true)
  t.same(ipt.rules('nat', 'KUBE-A'), [['-s', '10.0.0.1', '-j', 'ACCEPT'], ['-j', 'RETURN']])
  const dangling = await ipt.ensureRule('append', 'nat', 'OUTPUT', ['-j', 'KUBE-NOPE']).catch((e: unknown) => e)
  t.ok(dangling instanceof CommandError)
  t.ok(isNotFoundError(dangling))
  await ipt.ensureRule('append', 'nat', 'OUTPUT', ['-j', 'KUBE-A'])
  t.match(String(await ipt.deleteChain('nat', 'KUBE-A').catch((e: unknown) => e)), /not empty/)
  t.equal(await ipt.flushChain('nat', 'KUBE-A'), true)
  t.match(String(await ipt.deleteChain('nat', 'KUBE-A').catch((e: unknown) => e)), /referenced from OUTPUT/)
  t.equal(await ipt.deleteRule('nat', 'OUTPUT', ['-j', 'KUBE-A']), true)
  t.equal(await ipt.deleteRule('nat', 'OUTPUT', ['-j', 'KUBE-A']), false)
  t.equal(await ipt.deleteRule('nat', 'KUBE-GONE', ['-j', 'ACCEPT']), false)
  t.equal(await ipt.deleteChain('nat', 'KUBE-A'), true)
  t.equal(await ipt.deleteChain('nat', 'KUBE-A'), false)
  t.equal(await ipt.flushChain('nat', 'KUBE-A'), false)
  t.same(ipt.calls.map((c) => c.op).slice(0, 3), ['ensureChain', 'ensureChain', 'ensureRule'])
})

t.test('failNextRestore makes exactly one restore fail', async (t) => {
  const ipt = new FakeIptables()
  ipt.failNextRestore('iptables-restore: line 2 failed')
  const err = await ipt.restore(base).catch((e: unknown) => e)
  t.ok(err instanceof RestoreError)
  t.equal((err as RestoreError).line, 2)
  await ipt.restore(base)
  t.equal(ipt.calls.filter((c) => c.op === 'restore').length, 2)
})
