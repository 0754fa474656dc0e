// `kplab experiment run FILE [--name lab] [--out DIR] [--seed N]`: a live experiment on a running lab,
// measured beside the simulator's prediction, with a report directory.
import { join } from 'node:path'
import type { Command } from 'commander'
import { UsageError } from '../../base/errors.js'
import { seededRng } from '../../base/rng.js'
import { formatComparison } from '../../lab/experiment-report.js'
import { ExperimentError, loadExperiment } from '../../lab/experiment-spec.js'
import { runExperiment } from '../../lab/experiment.js'
import { openLab } from '../../lab/lab.js'
import { processIo } from '../kube-flags.js'
import { labStateRoot } from '../lab-home.js'

/** Flags of `experiment run`. */
interface RunFlags {
  name: string
  out?: string
  seed: string
}

/** Registers `kplab experiment run`. */
export function registerExperiment(program: Command): void {
  const cmd = program.command('experiment').description('live load-balancing experiments on a running lab (lab/experiments/live-*.yaml)')
  cmd
    .command('run')
    .description('deploy the experiment, run its rounds and events under load, print measured beside predicted')
    .argument('<file>', 'experiment file, e.g. lab/experiments/live-slow-pod.yaml')
    .option('--name <name>', 'lab name', 'lab')
    .option('--out <dir>', 'report directory: report.json, report.md, SVG charts, index.html')
    .option('--seed <n>', 'seed of the prediction and of open-loop arrivals', '1')
    .action(async (file: string, f: RunFlags) => {
      const seed = Number(f.seed)
      if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`invalid value "${f.seed}" for --seed: an integer ≥ 0`)
      let experiment
      try {
        experiment = loadExperiment(file)
      } catch (e) {
        if (e instanceof ExperimentError) throw new UsageError(e.message)
        throw e
      }
      const io = processIo()
      const lab = await openLab(f.name, labStateRoot(), { clock: io.clock })
      const ac = new AbortController()
      // Ctrl-C: stop the load and remove the experiment's workload (runExperiment's finally) before exiting.
      const onSignal = (): void => ac.abort(new UsageError('interrupted'))
      process.once('SIGINT', onSignal)
      // The clock's timers are unref'd, and waiting on one with nothing else pending would end the
      // process mid-run (exit 0, workload left behind): hold the event loop open until done.
      const hold = new MessageChannel()
      hold.port1.on('message', () => {})
      try {
        const r = await runExperiment({
          lab,
          experiment,
          clock: io.clock,
          rng: seededRng(seed),
          seed,
          out: f.out,
          launcher: { execPath: process.execPath, execArgv: process.execArgv, entry: process.argv[1]! },
          onProgress: (l) => void io.err.write(`${l}\n`),
          signal: ac.signal,
        })
        io.out.write(formatComparison(r.predicted, r.measured))
        for (const n of r.notes) io.out.write(`note: ${n}\n`)
        if (f.out) io.out.write(`report written to ${f.out}: ${r.files.join(', ')} (open ${join(f.out, 'index.html')})\n`)
      } finally {
        hold.port1.close()
        process.off('SIGINT', onSignal)
      }
    })
}
