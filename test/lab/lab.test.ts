// lab.ts without a cluster: mode choice, attach/down errors for a lab that does not run, and down
// removing a crashed lab's state (dead PIDs are not signalled).
import t from 'tap'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { FakeClock } from '../../src/base/clock.js'
import { RecordingRunner } from '../../src/netns/exec.js'
import { chooseMode, downLab, labStatus, openLab, DEFAULT_SETTINGS_FILE } from '../../src/lab/lab.js'
import { LabStateFile } from '../../src/lab/lab-state.js'
import { isRoot } from '../support/env.js'

t.test('chooseMode: local when asked; netns needs root on Linux with ip, iptables and nsenter', async (t) => {
  const ok = new RecordingRunner()
  t.equal((await chooseMode('local', ok)).mode, 'local')
  t.match((await chooseMode('local', ok)).reason, /--mode local/)
  const missingNsenter = new RecordingRunner((c) => (c.cmd === 'nsenter' ? { code: 127 } : undefined))
  if (isRoot() && process.platform === 'linux') {
    t.same(await chooseMode(undefined, ok), { mode: 'netns', reason: 'netns mode: root on Linux with ip, iptables and nsenter; a network namespace per machine' })
    t.match(await chooseMode(undefined, missingNsenter), { mode: 'local', reason: /local mode \(no nsenter\)/ }, 'falls back and says why')
    await t.rejects(chooseMode('netns', missingNsenter), /--mode netns needs root on Linux with ip, iptables and nsenter \(no nsenter\); use --mode local/)
  } else {
    t.match(await chooseMode(undefined, ok), { mode: 'local', reason: /not root|not Linux/ })
  }
})

t.test('a lab that does not run: open, down and status say so', async (t) => {
  const root = t.testdir({})
  const clock = new FakeClock(0)
  await t.rejects(openLab('nope', root, { clock }), /lab "nope" is not running: run kplab up --name nope/)
  await t.rejects(downLab('nope', root, { clock, runner: new RecordingRunner() }), /lab "nope" is not running: run kplab up --name nope/)
  t.same(labStatus('nope', root), { state: undefined, running: false, processes: [] })
  await t.rejects(openLab('Bad/Name', root, { clock }), /--name: "Bad\/Name" is not a lab name/)
})

t.test('down after a crash: dead recorded PIDs are skipped, the state directory goes', async (t) => {
  const root = t.testdir({})
  const stateDir = join(root, 'crashed')
  mkdirSync(join(stateDir, 'logs'), { recursive: true })
  const f = new LabStateFile({
    version: 1, name: 'crashed', mode: 'local', stateDir, phase: 'starting', createdAt: 0, proxyMode: 'userspace', lbAlgorithm: 'round-robin',
    namespaces: [], processes: [], forwards: [], nodes: [], machines: {}, proxyMetrics: {},
    // A pid with a start time no process has: never signalled.
    supervisor: { name: 'supervisor', machine: 'host', pid: process.pid, startTime: '1' },
  })
  f.update((s) => s.processes.push({ name: 'apiserver', machine: 'host', pid: process.pid, startTime: '2' }))
  t.equal(labStatus('crashed', root).running, false, 'status sees that its kplab up is gone')
  t.equal(labStatus('crashed', root).processes[0]!.up, false)
  await t.rejects(openLab('crashed', root, { clock: new FakeClock(0) }), /lab "crashed" is not running/)
  // Not root or not netns: the runner is never asked about namespaces of a local lab when not root.
  const runner = new RecordingRunner((c) => (c.args[0] === 'netns' && c.args[1] === 'list' ? { stdout: '' } : undefined))
  const r = await downLab('crashed', root, { clock: new FakeClock(0), runner })
  t.same(r.removed, [stateDir], 'only the directory was left to remove')
  t.notOk(existsSync(stateDir))
  t.notOk(runner.lines().some((l) => / netns (delete|pids) /.test(l)), 'no namespace was touched')
})

t.test('the default settings file is the repository one', async (t) => {
  t.ok(existsSync(DEFAULT_SETTINGS_FILE), DEFAULT_SETTINGS_FILE)
})
