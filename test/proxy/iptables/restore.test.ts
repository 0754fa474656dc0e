import t from 'tap'
import { CommandError } from '../../../src/base/errors.js'
import { RecordingRunner } from '../../../src/netns/exec.js'
import { FakeIptables, tokenizeRule } from '../../../src/proxy/iptables/fake-iptables.js'
import {
  cleanupLeftovers,
  cleanupPayload,
  ensureJumpRules,
  extractLines,
  IptablesExec,
  isNotFoundError,
  parseRestoreErrorLine,
  RestoreError,
  type IptablesRunner,
  type IptablesTable,
} from '../../../src/proxy/iptables/restore.js'
import { withNamespaces } from '../../support/netns.js'

const WAIT = '-w 5 -W 100000'

t.test('restore runs iptables-restore with upstream flags inside the namespace, payload on stdin', async (t) => {
  const runner = new RecordingRunner()
  const ipt = new IptablesExec({ runner, netns: 'kplab-a-node' })
  await ipt.restore('*nat\nCOMMIT\n')
  await ipt.restore('*nat\nCOMMIT\n', { table: 'nat' })
  await ipt.restore('*nat\nCOMMIT\n', { noflush: false, counters: false })
  t.same(runner.lines(), [
    `ip netns exec kplab-a-node iptables-restore ${WAIT} --noflush --counters`,
    `ip netns exec kplab-a-node iptables-restore ${WAIT} --noflush --counters -T nat`,
    `ip netns exec kplab-a-node iptables-restore ${WAIT}`,
  ])
  t.equal(runner.calls[0]!.input, '*nat\nCOMMIT\n')
})

t.test('a payload given as byte chunks reaches stdin whole; a backend picks the binaries', async (t) => {
  const runner = new RecordingRunner()
  const ipt = new IptablesExec({ runner, netns: 'kplab-a-node', backend: 'legacy' })
  await ipt.restore([Buffer.from('*nat\n'), Buffer.from('COMMIT\n')])
  await ipt.save('nat')
  t.same(runner.lines(), [`ip netns exec kplab-a-node iptables-legacy-restore ${WAIT} --noflush --counters`, 'ip netns exec kplab-a-node iptables-legacy-save -t nat'])
  t.equal(runner.calls[0]!.input, '*nat\nCOMMIT\n')
})

t.test('save, chains and rules map to iptables commands; -C decides before -I/-A/-D', async (t) => {
  const runner = new RecordingRunner((c) => {
    if (c.args.includes('-C')) return c.args.includes('KUBE-HAVE') ? undefined : { code: 1, stderr: 'iptables: Bad rule (does a matching rule exist in that chain?).' }
    if (c.args.includes('-N') && c.args.includes('KUBE-HAVE')) return { code: 1, stderr: 'iptables: Chain already exists.' }
    if (c.args.includes('-X') && c.args.includes('KUBE-GONE')) return { code: 1, stderr: 'iptables: No chain/target/match by that name.' }
    if (c.cmd === 'iptables-save') return { stdout: '*nat\nCOMMIT\n' }
    return undefined
  })
  const ipt = new IptablesExec({ runner, netns: 'kplab-a-node' })
  t.equal(await ipt.save('nat'), '*nat\nCOMMIT\n')
  await ipt.save()
  t.equal(await ipt.ensureChain('nat', 'KUBE-NEW'), false)
  t.equal(await ipt.ensureChain('nat', 'KUBE-HAVE'), true)
  t.equal(await ipt.ensureRule('prepend', 'nat', 'OUTPUT', ['-m', 'comment', '--comment', 'a b', '-j', 'KUBE-NEW']), false)
  t.equal(await ipt.ensureRule('append', 'nat', 'OUTPUT', ['-j', 'KUBE-HAVE']), true)
  t.equal(await ipt.deleteRule('nat', 'OUTPUT', ['-j', 'KUBE-NEW']), false)
  t.equal(await ipt.deleteRule('nat', 'OUTPUT', ['-j', 'KUBE-HAVE']), true)
  t.equal(await ipt.flushChain('nat', 'KUBE-X'), true)
  t.equal(await ipt.deleteChain('nat', 'KUBE-GONE'), false)
  const ns = 'ip netns exec kplab-a-node'
  t.same(runner.lines(), [
    `${ns} iptables-save -t nat`,
    `${ns} iptables-save`,
    `${ns} iptables ${WAIT} -N KUBE-NEW -t nat`,
    `${ns} iptables ${WAIT} -N KUBE-HAVE -t nat`,
    `${ns} iptables ${WAIT} -C OUTPUT -t nat -m comment --comment "a b" -j KUBE-NEW`,
    `${ns} iptables ${WAIT} -I OUTPUT -t nat -m comment --comment "a b" -j KUBE-NEW`,
    `${ns} iptables ${WAIT} -C OUTPUT -t nat -j KUBE-HAVE`,
    `${ns} iptables ${WAIT} -C OUTPUT -t nat -j KUBE-NEW`,
    `${ns} iptables ${WAIT} -C OUTPUT -t nat -j KUBE-HAVE`,
    `${ns} iptables ${WAIT} -D OUTPUT -t nat -j KUBE-HAVE`,
    `${ns} iptables ${WAIT} -F KUBE-X -t nat`,
    `${ns} iptables ${WAIT} -X KUBE-GONE -t nat`,
  ])
})

t.test('the namespace must be chosen explicitly; null runs in the current one', async (t) => {
  const runner = new RecordingRunner()
  t.throws(() => new IptablesExec({ runner } as never), /needs netns/)
  await new IptablesExec({ runner, netns: null, waitFlags: ['-w'] }).save('filter')
  t.same(runner.lines(), ['iptables-save -t filter'])
  await t.rejects(
    new IptablesExec({ runner: new RecordingRunner(() => ({ code: 4, stderr: 'Permission denied' })), netns: 'kplab-a-n' }).ensureChain('nat', 'X'),
    CommandError,
  )
})

t.test('restore failures carry the failing payload line and 3 lines either side', async (t) => {
  t.equal(parseRestoreErrorLine('iptables-restore: line 7 failed'), 7)
  t.equal(parseRestoreErrorLine("iptables-restore v1.8.9 (nf_tables): Chain 'X' does not exist\nError occurred at line: 4\nTry …"), 4)
  t.equal(parseRestoreErrorLine('iptables-restore v1.8.9 (nf_tables): \nline 2: CHAIN_DEL failed (Device or resource busy): chain K'), 2)
  t.equal(parseRestoreErrorLine('Another app is currently holding the xtables lock'), undefined)
  const payload = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9'].join('\n')
  t.same(extractLines(payload, 2), [1, 2, 3, 4, 5].map((n) => ({ line: n, text: `l${n}` })))
  t.same(extractLines(payload, 9, 1), [{ line: 8, text: 'l8' }, { line: 9, text: 'l9' }])
  t.same(extractLines(payload, 0), [])
  const runner = new RecordingRunner(() => ({ code: 1, stderr: 'iptables-restore: line 5 failed\n' }))
  const err = await new IptablesExec({ runner, netns: 'kplab-a-n' }).restore(payload).catch((e: unknown) => e)
  t.ok(err instanceof RestoreError && err instanceof CommandError)
  const r = err as RestoreError
  t.equal(r.line, 5)
  t.same(r.context.map((l) => l.line), [2, 3, 4, 5, 6, 7, 8])
  t.match(r.message, /at payload line 5/)
  t.match(r.message, />\s+5: l5/)
})

t.test('isNotFoundError recognises legacy and nft wording', async (t) => {
  t.ok(isNotFoundError(new CommandError('iptables', 1, 'iptables: No chain/target/match by that name.')))
  t.ok(isNotFoundError(new CommandError('iptables', 2, "iptables v1.8.9 (nf_tables): Chain 'KUBE-ZZ' does not exist")))
  t.notOk(isNotFoundError(new CommandError('iptables', 4, 'Permission denied (you must be root)')))
})

t.test('cleanupPayload flushes and deletes every KUBE- chain and unlinks foreign jumps', async (t) => {
  const saved = [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':KUBE-FIREWALL - [0:0]',
    'COMMIT',
    '*nat',
    ':PREROUTING ACCEPT [10:600]',
    ':MINE - [0:0]',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-SVC-A - [0:0]',
    '-A PREROUTING -m comment --comment "old comment" -j KUBE-SERVICES',
    '-A PREROUTING -j MINE',
    '-A KUBE-SERVICES -j KUBE-SVC-A',
    'COMMIT',
  ].join('\n')
  t.same(cleanupPayload('nat', saved), {
    chains: ['KUBE-SERVICES', 'KUBE-SVC-A'],
    payload: [
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-A - [0:0]',
      '-D PREROUTING -m comment --comment "old comment" -j KUBE-SERVICES',
      '-X KUBE-SERVICES',
      '-X KUBE-SVC-A',
      'COMMIT',
      '',
    ].join('\n'),
  })
})

t.test('ensureJumpRules prepends in upstream order and is idempotent (FakeIptables)', async (t) => {
  const ipt = new FakeIptables()
  await ensureJumpRules(ipt)
  const first = await ipt.save()
  // Reference §1.2: each missing rule is inserted at the top, so a fresh chain lists them in reverse.
  t.same(
    ipt.rules('filter', 'INPUT').map((r) => r[r.length - 1]),
    ['KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES'],
  )
  t.same(ipt.rules('filter', 'FORWARD').map((r) => r[r.length - 1]), ['KUBE-PROXY-FIREWALL', 'KUBE-FORWARD', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES'])
  t.same(ipt.rules('nat', 'PREROUTING'), [['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES']])
  await ipt.ensureJumpRules()
  t.equal(await ipt.save(), first, 'a second run changes nothing')
})

t.test('cleanup removes jump rules and every KUBE- chain but leaves other chains (FakeIptables)', async (t) => {
  const ipt = new FakeIptables()
  await ipt.ensureJumpRules()
  await ipt.restore('*nat\n:KUBE-SVC-A - [0:0]\n:MINE - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-A\n-A PREROUTING -j KUBE-SVC-A\n-A OUTPUT -j MINE\nCOMMIT\n')
  await ipt.ensureChain('mangle', 'KUBE-PROXY-CANARY')
  const result = await cleanupLeftovers(ipt)
  t.same(result.errors, [])
  t.equal(result.jumpRulesDeleted, 14)
  t.ok(result.chainsDeleted.some((c) => c.table === 'mangle' && c.chain === 'KUBE-PROXY-CANARY'))
  for (const table of ['filter', 'nat', 'mangle'] as IptablesTable[]) {
    t.same(ipt.chains(table).filter((c) => c.startsWith('KUBE-')), [], `no KUBE- chain in ${table}`)
  }
  t.same(ipt.rules('nat', 'OUTPUT'), [['-j', 'MINE']], 'foreign rules stay')
  t.same(await ipt.cleanup(), { jumpRulesDeleted: 0, chainsDeleted: [], errors: [] }, 'a second cleanup finds nothing')
})

// Parses iptables-save text into table → chain → rules (as argument lists), ignoring counters,
// policies of user chains and chain order, so the fake and the kernel can be compared.
function model(saved: string): Record<string, Record<string, string[][]>> {
  const out: Record<string, Record<string, string[][]>> = {}
  let table = ''
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) out[(table = line.slice(1))] = {}
    else if (line.startsWith(':')) out[table]![line.slice(1).split(' ')[0]!] = []
    else if (line.startsWith('-A ')) {
      const [, chain, ...args] = tokenizeRule(line)
      out[table]![chain!]!.push(args)
    }
  }
  return out
}

// Payloads written in iptables-save's canonical form, so the kernel echoes them back unchanged.
// `fails` is the line the fake (and legacy iptables) report; iptables-nft checks jump targets at
// COMMIT and reports that line instead (`nftLine`).
const STEPS: { payload: string; fails?: { line: number; nftLine?: number } }[] = [
  {
    payload: [
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-TEST - [0:0]',
      ':KUBE-SEP-ONE - [0:0]',
      ':KUBE-SEP-OLD - [0:0]',
      '-A OUTPUT -j KUBE-SERVICES',
      '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/test cluster IP" -m tcp --dport 80 -j KUBE-SVC-TEST',
      '-A KUBE-SVC-TEST -m comment --comment "default/test -> 10.244.1.2:8080" -j KUBE-SEP-ONE',
      '-A KUBE-SEP-ONE -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:8080',
      '-A KUBE-SEP-OLD -j RETURN',
      'COMMIT',
      '',
    ].join('\n'),
  },
  // A partial-sync shape: rewrite the service chain, drop a stale chain (flush + -X).
  {
    payload: [
      '*nat',
      ':KUBE-SVC-TEST - [0:0]',
      ':KUBE-SEP-TWO - [0:0]',
      ':KUBE-SEP-OLD - [0:0]',
      '-A KUBE-SVC-TEST -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-ONE',
      '-A KUBE-SVC-TEST -j KUBE-SEP-TWO',
      '-A KUBE-SEP-TWO -p tcp -m tcp -j DNAT --to-destination 10.244.1.3:8080',
      '-X KUBE-SEP-OLD',
      'COMMIT',
      '',
    ].join('\n'),
  },
  { payload: '*nat\n:KUBE-X - [0:0]\n-A KUBE-X -j KUBE-NOPE\n-A KUBE-X -j RETURN\nCOMMIT\n', fails: { line: 3, nftLine: 5 } },
  { payload: '*nat\n-X KUBE-SEP-ONE\nCOMMIT\n', fails: { line: 2 } },
  { payload: '*nat\n-X KUBE-SERVICES\nCOMMIT\n', fails: { line: 2 } },
  // A chain that still has rules cannot be deleted even when nothing jumps to it.
  { payload: '*nat\n:KUBE-LONE - [0:0]\n-A KUBE-LONE -j RETURN\nCOMMIT\n' },
  { payload: '*nat\n-X KUBE-LONE\nCOMMIT\n', fails: { line: 2 } },
  { payload: '*nat\n:KUBE-SEP-TWO - [0:0]\n-X KUBE-SEP-TWO\nCOMMIT\n', fails: { line: 3 } },
  // The filter table commits; the nat table fails as a whole.
  {
    payload: '*filter\n:KUBE-F - [0:0]\n-A KUBE-F -j DROP\nCOMMIT\n*nat\n-A OUTPUT -j KUBE-NOPE\nCOMMIT\n',
    fails: { line: 6, nftLine: 7 },
  },
]

t.test('kernel: restore, save, jump rules and cleanup in a node namespace, matched by FakeIptables', async (t) => {
  const net = await withNamespaces(t, { pods: 1, client: false })
  if (!net) return
  const real: IptablesRunner = new IptablesExec({ runner: net.runner, netns: net.node.netns })
  const fake = new FakeIptables()
  const both = async (table?: IptablesTable): Promise<void> => {
    const [r, f] = [model(await real.save(table)), model(await fake.save(table))]
    for (const m of [r, f]) for (const name of Object.keys(m)) if (!['nat', 'filter', 'mangle'].includes(name)) delete m[name]
    t.same(f, r, `fake matches kernel${table ? ` (${table})` : ''}`)
  }
  for (const [i, step] of STEPS.entries()) {
    const rr = await real.restore(step.payload).then(() => undefined, (e: unknown) => e)
    const fr = await fake.restore(step.payload).then(() => undefined, (e: unknown) => e)
    t.equal(rr instanceof RestoreError, !!step.fails, `kernel ${step.fails ? 'rejects' : 'accepts'} step ${i}`)
    t.equal(fr instanceof RestoreError, !!step.fails, `fake ${step.fails ? 'rejects' : 'accepts'} step ${i}`)
    if (step.fails) {
      t.equal((fr as RestoreError).line, step.fails.line, `fake names line ${step.fails.line} for step ${i}`)
      t.ok([step.fails.line, step.fails.nftLine].includes((rr as RestoreError).line), `kernel names line ${(rr as RestoreError).line} for step ${i}`)
    }
    await both('nat')
    await both('filter')
  }
  t.notOk(model(await real.save('nat')).nat!['KUBE-SEP-OLD'], 'stale chain deleted by the kernel')

  const failed = (await real.restore(STEPS[2]!.payload).catch((e: unknown) => e)) as RestoreError
  t.ok(failed.context.some((l) => /KUBE-NOPE/.test(l.text)), 'the context shows the bad rule')
  t.match(failed.message, /KUBE-NOPE/)

  await real.ensureJumpRules()
  await fake.ensureJumpRules()
  const once = await real.save()
  await real.ensureJumpRules()
  t.equal((await real.save()).replace(/^#.*\n/gm, ''), once.replace(/^#.*\n/gm, ''), 'ensureJumpRules is idempotent')
  await both('filter')
  await both('nat')

  const rc = await real.cleanup()
  const fc = await fake.cleanup()
  t.same(rc.errors, [])
  t.equal(rc.jumpRulesDeleted, 14)
  t.same(fc, rc, 'fake cleanup reports the same')
  const after = await real.save()
  t.notMatch(after, /KUBE-/, 'no KUBE- chain or jump left')
  await both('filter')
  await both('nat')

  const done = await net.cleanup()
  t.same(done.leftover, [], `no namespace left under ${net.prefix}`)
  t.equal(done.rootIptablesChanged, false, "host's root iptables unchanged")
})
