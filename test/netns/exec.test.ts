import t from 'tap'
import { CommandError } from '../../src/base/errors.js'
import { assertNetnsName, commandLine, netnsArgv, RecordingRunner, SpawnRunner } from '../../src/netns/exec.js'

t.test('netnsArgv wraps a command in ip netns exec only when a namespace is named', async (t) => {
  t.same(netnsArgv('sysctl', ['-w', 'a=1']), { cmd: 'sysctl', args: ['-w', 'a=1'] })
  t.same(netnsArgv('sysctl', ['-w', 'a=1'], 'kplab-x-node'), { cmd: 'ip', args: ['netns', 'exec', 'kplab-x-node', 'sysctl', '-w', 'a=1'] })
  t.equal(commandLine('iptables', ['-m', 'comment', '--comment', 'a b'], 'ns1'), 'ip netns exec ns1 iptables -m comment --comment "a b"')
})

t.test('namespace names that could smuggle options or paths are rejected', async (t) => {
  for (const bad of ['', '-n', '../x', 'a/b', 'a b', 'x'.repeat(65)]) {
    t.throws(() => assertNetnsName(bad), /invalid network namespace name/, JSON.stringify(bad))
  }
  t.doesNotThrow(() => assertNetnsName('kplab-t1-1-node'))
  t.throws(() => netnsArgv('ls', [], '-all'), /invalid network namespace name/)
})

t.test('RecordingRunner records calls and fails like the real runner', async (t) => {
  const r = new RecordingRunner((c) => (c.args[0] === 'bad' ? { code: 2, stderr: 'nope\n' } : { stdout: 'ok' }))
  t.same(await r.run('ip', ['link'], { netns: 'ns1' }), { stdout: 'ok', stderr: '', code: 0 })
  await t.rejects(r.run('ip', ['bad']), CommandError)
  const soft = await r.run('ip', ['bad'], { allowFailure: true, input: 'x' })
  t.equal(soft.code, 2)
  t.same(r.lines(), ['ip netns exec ns1 ip link', 'ip bad', 'ip bad'])
  t.equal(r.calls[2]!.input, 'x')
})

t.test('SpawnRunner runs a command, feeds stdin and reports failures as CommandError', async (t) => {
  const runner = new SpawnRunner()
  const echo = await runner.run(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'hello' })
  t.same(echo, { stdout: 'hello', stderr: '', code: 0 })
  const err = await runner.run(process.execPath, ['-e', 'console.error("broken thing"); process.exit(3)']).catch((e: unknown) => e)
  t.ok(err instanceof CommandError)
  t.equal((err as CommandError).exitCode, 3)
  t.match((err as CommandError).stderr, /broken thing/)
  const soft = await runner.run(process.execPath, ['-e', 'process.exit(4)'], { allowFailure: true })
  t.equal(soft.code, 4)
  const missing = await runner.run('kplab-no-such-command', []).catch((e: unknown) => e)
  t.ok(missing instanceof CommandError)
  t.match((missing as CommandError).message, /command not found/)
})
