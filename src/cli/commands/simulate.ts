// `kplab simulate SCENARIO.yaml [--seed N] [--json] [--out DIR]`: runs the seeded load-balancing
// simulator over the scenario's algorithms and prints a table, one JSON object, or a report directory.
import type { Command } from 'commander'
import { UsageError } from '../../base/errors.js'
import { ScenarioError } from '../../sim/errors.js'
import { loadScenario } from '../../sim/load.js'
import { formatTable } from '../../sim/report/table.js'
import { writeReportDir } from '../../sim/report/write.js'
import { simulate, summaryJson } from '../../sim/simulate.js'
import { processIo, type CliIo, type TextSink } from '../kube-flags.js'

/** Flags of `simulate`. */
export interface SimulateFlags {
  seed?: string
  json?: boolean
  out?: string
}

/** Runs longer than this (ms of wall time) get a progress bar on stderr. */
const PROGRESS_AFTER_MS = 1000

function parseSeed(v: string | undefined): number {
  if (v === undefined) return 1
  const n = Number(v)
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`invalid value "${v}" for --seed: an integer ≥ 0`)
  return n
}

/**
 * Makes a closed pipe on `out` end the output quietly: `kplab simulate … --json | head -c 100`
 * closes its end early, and the write then fails with EPIPE, which an unhandled stream error turns
 * into a crash with a stack trace. Unix tools stop quietly instead. Other errors still surface.
 */
export function quietOnClosedPipe(out: TextSink): void {
  const stream = out as { on?: (event: 'error', listener: (err: NodeJS.ErrnoException) => void) => unknown }
  if (typeof stream.on !== 'function') return
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err
  })
}

/** Runs `kplab simulate`. */
export async function runSimulate(file: string, flags: SimulateFlags, io: CliIo): Promise<void> {
  quietOnClosedPipe(io.out)
  const seed = parseSeed(flags.seed)
  let scenario
  try {
    scenario = loadScenario(file)
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(e.message)
    throw e
  }
  const started = io.clock.now()
  const count = scenario.algorithms.length
  let shown = false
  const report = simulate(scenario, seed, {
    // Only on a terminal: a redirected stderr would fill with carriage returns.
    onProgress: flags.json || (io.err as { isTTY?: boolean }).isTTY !== true
      ? undefined
      : (i, done, total) => {
          if (!shown && io.clock.now() - started < PROGRESS_AFTER_MS) return
          shown = true
          const frac = (i + done / total) / count
          const width = 30
          const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.')
          io.err.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${scenario.algorithms[i]!.label}`.padEnd(80))
        },
  })
  if (shown) io.err.write(`\r${' '.repeat(80)}\r`)
  if (flags.json) {
    io.out.write(`${JSON.stringify(summaryJson(report))}\n`)
  } else {
    io.out.write(formatTable(report))
  }
  if (flags.out !== undefined) {
    const files = await writeReportDir(flags.out, report)
    if (!flags.json) io.out.write(`report written to ${flags.out}: ${files.join(', ')}\n`)
  }
}

/** Registers `kplab simulate`. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('Simulate load-balancing algorithms over a scenario (seeded, reproducible) and report load, response times and fairness')
    .argument('<scenario>', 'scenario file (YAML), e.g. lab/experiments/uniform.yaml')
    .option('--seed <n>', 'random seed; the same seed gives the same results (default 1)')
    .option('--json', 'print one JSON object {seed, algorithms: [{name, params, metrics}]}')
    .option('--out <dir>', 'write a report directory: report.json, report.md and SVG charts')
    .action((file: string, flags: SimulateFlags) => runSimulate(file, flags, processIo()))
}
