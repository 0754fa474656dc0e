// The supervisor with real child processes: ready lines, restart after SIGKILL, stop by PID.
import t from 'tap'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { realClock } from '../../src/base/clock.js'
import { Supervisor, type Component } from '../../src/lab/supervisor.js'

// A component: prints its ready line with its pid, then waits for a signal.
const SCRIPT = `process.stdout.write('comp ready pid=' + process.pid + '\\n'); process.stdin.resume(); process.on('SIGTERM', () => process.exit(0))\n`

t.test('a component killed with SIGKILL is restarted; stopAll ends it for good', async (t) => {
  const dir = t.testdir({ 'comp.mjs': SCRIPT })
  const sup = new Supervisor({ launcher: { execPath: process.execPath, execArgv: [], entry: join(dir, 'comp.mjs') }, clock: realClock, restartDelayMs: 20, stopGraceMs: 2_000 })
  t.teardown(() => sup.stopAll())
  const spawned: number[] = []
  sup.on('spawn', (c: Component) => spawned.push(c.pid))
  const { component, match } = await sup.start('comp', [], join(dir, 'comp.log'), /ready pid=(\d+)/, { restart: true })
  t.equal(Number(match[1]), component.pid, 'the ready line comes from the started pid')
  const first = component.pid
  const died = once(sup, 'exit')
  const respawn = once(sup, 'spawn')
  process.kill(first, 'SIGKILL')
  const [dead, code, signal] = (await died) as [Component, number | null, string | null]
  t.same([dead.name, code, signal], ['comp', null, 'SIGKILL'], "the supervisor saw the component's death")
  const [again] = (await respawn) as [Component]
  t.equal(again, component, 'the same component record')
  t.not(again.pid, first, 'with a new pid')
  t.equal(again.restarts, 1)
  t.same(spawned, [first, again.pid])
  const exited = once(again.child, 'exit')
  await sup.stopAll()
  await exited
  t.equal(sup.list().length, 0)
})

t.test('a prefix argv runs before node (how the netns lab enters a namespace)', async (t) => {
  const dir = t.testdir({ 'comp.mjs': SCRIPT })
  const sup = new Supervisor({ launcher: { execPath: process.execPath, execArgv: [], entry: join(dir, 'comp.mjs') }, clock: realClock })
  t.teardown(() => sup.stopAll())
  // `env` runs its argument: the same exec-style prefix as nsenter --net=….
  const { component } = await sup.start('comp', [], join(dir, 'comp.log'), /ready/, { prefix: ['env', 'KPLAB_TEST=1'] })
  t.match(readFileSync(`/proc/${component.pid}/environ`, 'utf8'), /KPLAB_TEST=1/, 'the prefix ran and exec-ed node in place')
})

t.test('a component that exits before its ready line fails start', async (t) => {
  const dir = t.testdir({ 'bad.mjs': 'process.exit(3)\n' })
  const sup = new Supervisor({ launcher: { execPath: process.execPath, execArgv: [], entry: join(dir, 'bad.mjs') }, clock: realClock })
  await t.rejects(sup.start('bad', [], join(dir, 'bad.log'), /ready/, { restart: true }), /bad exited with code 3 before it was ready/)
  await sup.stopAll()
})
