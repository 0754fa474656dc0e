import type { Command } from 'commander'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { realClock } from '../../base/clock.js'
import { runDemo } from '../../lab/demo.js'

const here = dirname(fileURLToPath(import.meta.url))
// src/cli/commands or dist/cli/commands → the repository root
const root = resolve(here, '..', '..', '..')

/** Registers `kplab demo` (the README's first command: `npm run demo`). */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('bring up a small cluster, apply lab/manifests/demo.yaml, and show Service → endpoints → rules → traffic')
    .option('--nodes <n>', 'worker nodes', '2')
    .option('--requests <n>', 'requests sent through the proxy', '30')
    .option('--state-dir <dir>', 'where data and logs go (default: a new temporary directory)')
    .option('--keep', 'leave the cluster running and print how to reach it with kubectl')
    .action(async (f: { nodes: string; requests: string; stateDir?: string; keep?: boolean }) => {
      const stateDir = f.stateDir ?? mkdtempSync(join(tmpdir(), 'kplab-demo-'))
      const cluster = await runDemo({
        stateDir,
        manifest: join(root, 'lab', 'manifests', 'demo.yaml'),
        launcher: { execPath: process.execPath, execArgv: process.execArgv, entry: process.argv[1]! },
        clock: realClock,
        out: process.stdout,
        nodes: Number(f.nodes),
        requests: Number(f.requests),
        keep: f.keep,
        modeReason:
          'local mode: every component is a process on this host, pods run on their own loopback addresses and the proxy runs in userspace mode (the netns lab with iptables mode comes with `kplab up`).',
      })
      if (cluster) {
        const stop = (): void => void cluster.stop().then(() => process.exit(0))
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      }
    })
}
