// `kplab curl URL [--name lab] [--from NODE|POD] [-n 100]`: which pod answered each request sent from
// inside a running lab, then a per-pod summary (count, share, p50/p99).
import type { Command } from 'commander'
import { UsageError } from '../../base/errors.js'
import { entropyRng } from '../../base/rng.js'
import { runCurl } from '../../lab/curl.js'
import { openLab } from '../../lab/lab.js'
import { processIo } from '../kube-flags.js'
import { labStateRoot } from '../lab-home.js'

/** Flags of `curl`. */
interface CurlFlags {
  name: string
  from?: string
  namespace: string
  requests: string
  keepalive?: boolean
}

/** Registers `kplab curl`. */
export function registerCurl(program: Command): void {
  program
    .command('curl')
    .description('send HTTP requests from inside a lab (a machine or a pod) and show which pod answered each')
    .argument('<url>', 'e.g. http://10.96.0.20/ (a ClusterIP), http://192.168.56.11:30080/ (a NodePort)')
    .option('--name <name>', 'lab name', 'lab')
    .option('--from <machine-or-pod>', 'client (default), master, node1, … or a pod name (netns lab)')
    .option('--namespace <ns>', 'namespace of the --from pod', 'default')
    .option('-n, --requests <n>', 'requests to send', '100')
    .option('--keepalive', 'reuse one connection (default: a new connection per request, as curl in a loop)')
    .action(async (url: string, f: CurlFlags) => {
      const n = Number(f.requests)
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid value "${f.requests}" for -n/--requests: an integer ≥ 1`)
      const io = processIo()
      const stateRoot = labStateRoot()
      const lab = await openLab(f.name, stateRoot, { clock: io.clock })
      await runCurl({
        lab,
        url,
        from: f.from,
        namespace: f.namespace,
        requests: n,
        keepAlive: f.keepalive ?? false,
        launcher: { execPath: process.execPath, execArgv: process.execArgv, entry: process.argv[1]! },
        clock: io.clock,
        rng: entropyRng(),
        out: io.out,
      })
    })
}
