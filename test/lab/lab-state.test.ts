// The lab's state file: names, atomic writes, validation before cleanup trusts it, and PIDs
// matched by start time so a recycled PID is never signalled.
import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  assertLabName, isSameProcess, labPrefix, labStateDir, LabStateFile, processStartTime, readLabState, signalRecorded, stateFile, type LabState,
} from '../../src/lab/lab-state.js'

function emptyState(stateDir: string): LabState {
  return {
    version: 1, name: 'lab', mode: 'netns', stateDir, phase: 'starting', createdAt: 0, proxyMode: 'iptables', lbAlgorithm: 'round-robin',
    namespaces: [], processes: [], forwards: [], nodes: [], machines: {}, proxyMetrics: {},
  }
}

t.test('lab names and prefixes', async (t) => {
  t.equal(labPrefix('lab'), 'kplab-lab-')
  t.equal(labStateDir('/root/.kplab', 'x1'), '/root/.kplab/x1')
  for (const bad of ['', 'Lab', '-x', 'x-', 'a/b', 'abcdefghijklmnopq', '../x']) {
    t.throws(() => assertLabName(bad), /--name: .* is not a lab name; use 1-16 lower-case letters/, JSON.stringify(bad))
  }
})

t.test('the state file is written through on every change and read back', async (t) => {
  const dir = join(t.testdir({}), 'lab')
  const f = new LabStateFile(emptyState(dir))
  t.ok(existsSync(stateFile(dir)), 'written at once')
  f.update((s) => {
    s.prefix = 'kplab-lab-'
    s.namespaces.push('kplab-lab-master')
  })
  f.recordProcess({ name: 'apiserver', machine: 'master', pid: process.pid })
  f.recordProcess({ name: 'apiserver', machine: 'master', pid: process.pid, restarts: 1 })
  const back = readLabState(dir)!
  t.same(back.namespaces, ['kplab-lab-master'])
  t.equal(back.processes.length, 1, 'a restarted process replaces its record')
  t.equal(back.processes[0]!.restarts, 1)
  t.equal(back.processes[0]!.startTime, readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19])
  t.notOk(existsSync(`${stateFile(dir)}.tmp`), 'no temp file left')
  t.equal(readLabState(join(dir, 'missing')), undefined)
})

t.test('a state file naming namespaces outside the lab prefix is refused', async (t) => {
  const dir = t.testdir({})
  writeFileSync(stateFile(dir), JSON.stringify({ ...emptyState(dir), prefix: 'kplab-lab-', namespaces: ['kplab-lab-node1', 'production'] }))
  t.throws(() => readLabState(dir), /namespace production is outside the lab's prefix kplab-lab-/)
  writeFileSync(stateFile(dir), JSON.stringify({ ...emptyState(dir), prefix: 'kplab-other-' }))
  t.throws(() => readLabState(dir), /prefix kplab-other- does not belong to lab lab/)
  writeFileSync(stateFile(dir), '{')
  t.throws(() => readLabState(dir), /is not valid JSON/)
  writeFileSync(stateFile(dir), '{"version":2}')
  t.throws(() => readLabState(dir), /is not a kplab lab state/)
})

t.test('processes are matched by start time: a recycled PID is not signalled', async (t) => {
  const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] })
  t.teardown(() => void child.kill('SIGKILL'))
  const rec = { name: 'x', machine: 'host', pid: child.pid!, startTime: processStartTime(child.pid!)! }
  t.ok(rec.startTime, 'a start time is read from /proc')
  t.ok(isSameProcess(rec), 'the running child matches its record')
  t.notOk(isSameProcess({ ...rec, startTime: '1' }), 'another start time means another process')
  t.notOk(signalRecorded({ ...rec, startTime: '1' }, 'SIGKILL'), 'and it is not signalled')
  t.equal(child.exitCode, null)
  t.notOk(isSameProcess({ ...rec, pid: 1 }), 'pid 1 is never ours')
  const exited = once(child, 'exit')
  t.ok(signalRecorded(rec, 'SIGTERM'), 'the same process is signalled')
  await exited
  t.notOk(isSameProcess(rec), 'a gone process does not match')
  t.equal(processStartTime(rec.pid), undefined)
})
