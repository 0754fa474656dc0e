import type { Command } from 'commander'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { realClock } from '../../base/clock.js'
import { UsageError } from '../../base/errors.js'
import { entropyRng } from '../../base/rng.js'
import { runDemo } from '../../lab/demo.js'
import { upLab } from '../../lab/lab.js'
import { labStateRoot } from '../lab-home.js'

const here = dirname(fileURLToPath(import.meta.url))
// src/cli/commands or dist/cli/commands → the repository root
const root = resolve(here, '..', '..', '..')

interface DemoFlags {
  name: string
  nodes: string
  requests: string
  mode?: string
  report?: string
  keep?: boolean
}

/** Registers `kplab demo` (the README's first command: `npm run demo`). */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('bring up a lab, apply lab/manifests/demo.yaml, show the rules, send traffic through every Service and compare with the simulator')
    .option('--name <name>', 'lab name', 'demo')
    .option('--nodes <n>', 'worker nodes', '2')
    .option('--requests <n>', 'requests per Service', '200')
    .option('--mode <mode>', 'netns | local (default: netns when root on Linux)')
    .option('--report <dir>', 'report directory (default: <tmp>/kplab-demo-report)')
    .option('--keep', 'leave the lab running until Ctrl-C and print how to reach it with kubectl')
    .action(async (f: DemoFlags) => {
      if (f.mode !== undefined && f.mode !== 'netns' && f.mode !== 'local') throw new UsageError(`--mode: "${f.mode}" is not a mode; use netns or local`)
      const requests = Number(f.requests)
      if (!Number.isInteger(requests) || requests < 1) throw new UsageError(`invalid value "${f.requests}" for --requests: an integer ≥ 1`)
      const launcher = { execPath: process.execPath, execArgv: process.execArgv, entry: process.argv[1]! }
      const ac = new AbortController()
      let interrupted = 0
      // Ctrl-C at any moment: the demo stops its traffic and takes the lab down before exiting.
      const onSignal = (): void => {
        if (interrupted++ > 0) process.stderr.write('\nstill taking the lab down; if this hangs, run: kplab down --name ' + f.name + '\n')
        ac.abort(new UsageError('interrupted: the lab was taken down'))
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
      // The clock's timers are unref'd, and waiting on one with nothing else pending would end the
      // process mid-run (exit 0, workload left behind): hold the event loop open until done.
      const hold = new MessageChannel()
      hold.port1.on('message', () => {})
      try {
        const lab = await runDemo({
          up: (onProgress) =>
            upLab({ name: f.name, nodes: Number(f.nodes), mode: f.mode as 'netns' | 'local' | undefined, stateRoot: labStateRoot(), launcher, clock: realClock, onProgress }),
          manifest: join(root, 'lab', 'manifests', 'demo.yaml'),
          launcher,
          clock: realClock,
          rng: entropyRng(),
          out: process.stdout,
          requests,
          reportDir: f.report ?? join(tmpdir(), 'kplab-demo-report'),
          keep: f.keep,
          signal: ac.signal,
        })
        if (lab) {
          await new Promise<void>((res) => ac.signal.addEventListener('abort', () => res(), { once: true }))
          await lab.down()
        }
      } finally {
        hold.port1.close()
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
      }
    })
}
