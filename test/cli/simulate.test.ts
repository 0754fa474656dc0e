import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { EventEmitter } from 'node:events'
import { Writable } from 'node:stream'
import { FakeClock } from '../../src/base/clock.js'
import { quietOnClosedPipe, registerSimulate, runSimulate, type SimulateFlags } from '../../src/cli/commands/simulate.js'
import type { CliIo } from '../../src/cli/kube-flags.js'

const SCENARIO = `
backends: 4
workload:
  arrivals: {type: poisson, rate: 0.8}
  service: {distribution: exponential, mean: 1}
  requests: 5000
algorithms:
  - {name: iptables}
  - {name: power-of-two-choices, params: {choices: 2}}
`

/** A clock that jumps 2 s per reading, so a run is "longer than a second" at once and the progress bar shows. */
class SteppingClock extends FakeClock {
  override now(): number {
    this.advance(2000)
    return super.now()
  }
}

async function run(file: string, flags: SimulateFlags, tty = false): Promise<{ out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = {
    out: { write: (s: string) => (out += s) },
    err: Object.assign({ write: (s: string) => (err += s) }, tty ? { isTTY: true } : {}),
    env: {},
    clock: new SteppingClock(0),
  }
  await runSimulate(file, flags, io)
  return { out, err }
}

t.test('--json prints one reproducible object', async (t) => {
  const dir = t.testdir({ 'two.yaml': SCENARIO })
  const file = join(dir, 'two.yaml')
  const a = await run(file, { json: true, seed: '42' })
  const b = await run(file, { json: true, seed: '42' })
  t.equal(a.out, b.out, 'same seed, same bytes')
  t.equal(a.out.trimEnd().split('\n').length, 1, 'one line')
  const j = JSON.parse(a.out)
  t.equal(j.seed, 42)
  t.same(j.algorithms.map((x: { name: string }) => x.name), ['iptables', 'power-of-two-choices'])
  t.same(j.algorithms[1].params, { choices: 2 })
  t.ok(j.algorithms[1].metrics.meanResponseTime < j.algorithms[0].metrics.meanResponseTime, 'two choices beat the cascade')
  t.equal(a.err, '', 'no progress bar with --json')
})

t.test('a table by default, a progress bar on a terminal, and a report directory with --out', async (t) => {
  const dir = t.testdir({ 'two.yaml': SCENARIO })
  const out = join(dir, 'report')
  const r = await run(join(dir, 'two.yaml'), { out }, true)
  t.match(r.out, /^two \(simulated, seed 1; times in ms/)
  t.match(r.out, /\npower-of-two-choices \{"choices":2\}\s+\d/)
  t.match(r.out, /report written to .*report: report\.json, share\.svg, response-cdf\.svg, load\.svg, report\.md/)
  t.match(r.err, /\[#*\.*\]\s+\d+% iptables/)
  for (const f of ['report.json', 'report.md', 'share.svg', 'response-cdf.svg', 'load.svg']) t.ok(existsSync(join(out, f)), f)
  t.match(readFileSync(join(out, 'share.svg'), 'utf8'), /^<svg/)
})

t.test('errors name the file and the field, or the flag', async (t) => {
  const dir = t.testdir({ 'bad.yaml': SCENARIO.replace('rate: 0.8', 'rate: 0') })
  await t.rejects(run(join(dir, 'bad.yaml'), {}), { name: 'UsageError', message: /bad\.yaml: workload\.arrivals\.rate: must be a positive number \(got 0\)/ })
  await t.rejects(run(join(dir, 'bad.yaml'), { seed: 'x' }), { message: /--seed/ })
  await t.rejects(run(join(dir, 'none.yaml'), {}), { message: /none\.yaml: cannot read/ })
})

t.test('registered as `kplab simulate <scenario>` with its flags', async (t) => {
  const program = new Command('kplab')
  registerSimulate(program)
  const cmd = program.commands.find((c) => c.name() === 'simulate')!
  t.same(cmd.options.map((o) => o.long), ['--seed', '--json', '--out'])
  t.match(cmd.helpInformation(), /simulate \[options\] <scenario>/)
})

t.test('a reader closing the pipe early (`--json | head -c 100`) ends the output quietly', async (t) => {
  const dir = t.testdir({ 'two.yaml': SCENARIO })
  const epipe = (): Error => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })
  // A stream whose every write fails as a pipe with no reader does; unhandled, its 'error' would crash the process.
  const closed = new Writable({ write: (_chunk, _enc, cb) => cb(epipe()) })
  const io: CliIo = { out: closed, err: { write: () => true }, env: {}, clock: new FakeClock(0) }
  await runSimulate(join(dir, 'two.yaml'), { json: true }, io)
  await new Promise((resolve) => closed.once('close', resolve))
  t.ok(closed.destroyed, 'the stream ended, and no error escaped')
  const other = new EventEmitter()
  quietOnClosedPipe(other as never)
  t.doesNotThrow(() => other.emit('error', epipe()))
  t.throws(() => other.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' })), /disk full/, 'other errors still surface')
})

