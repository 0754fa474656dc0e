// `kplab loadgen --url URL …` (hidden): the lab's load generator as a command, so that experiments,
// the demo and `kplab curl` can run it inside a lab namespace (`ip netns exec … kplab loadgen --json`).
import type { Command } from 'commander'
import { UsageError } from '../../base/errors.js'
import { entropyRng, seededRng } from '../../base/rng.js'
import { formatPodSummary, runLoad, type LoadOptions } from '../../lab/loadgen.js'
import { processIo, type CliIo } from '../kube-flags.js'

/** Flags of `loadgen` (strings, as commander gives them). */
export interface LoadgenFlags {
  url: string
  requests?: string
  concurrency?: string
  rate?: string
  keepalive?: boolean
  duration?: string
  timeout?: string
  seed?: string
  json?: boolean
  /** Also print each answer as a JSON line before the result (for `kplab curl`). */
  each?: boolean
}

function num(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new UsageError(`invalid value "${v}" for ${flag}: a number`)
  return n
}

/** Turns the flags into load options (validated by runLoad). */
export function loadOptionsFromFlags(f: LoadgenFlags, io: Pick<CliIo, 'clock'>): LoadOptions {
  const seed = num(f.seed, '--seed')
  const duration = num(f.duration, '--duration')
  return {
    url: f.url,
    requests: num(f.requests, '-n/--requests'),
    concurrency: num(f.concurrency, '--concurrency'),
    rate: num(f.rate, '--rate'),
    keepAlive: f.keepalive ?? true,
    durationMs: duration === undefined ? undefined : duration * 1000,
    timeoutMs: num(f.timeout, '--timeout'),
    clock: io.clock,
    rng: seed === undefined ? entropyRng() : seededRng(seed),
  }
}

/** Runs `kplab loadgen`: prints the LoadResult as one JSON line, or the per-pod summary. */
export async function runLoadgen(f: LoadgenFlags, io: CliIo): Promise<void> {
  const opts = loadOptionsFromFlags(f, io)
  if (f.each) opts.onResponse = (r) => void io.out.write(`${JSON.stringify(r)}\n`)
  const res = await runLoad(opts)
  io.out.write(f.json ? `${JSON.stringify(res)}\n` : formatPodSummary(res))
}

/** Registers the hidden `kplab loadgen`. */
export function registerLoadgen(program: Command): void {
  program
    .command('loadgen', { hidden: true })
    .description('HTTP load generator (closed or open loop) that counts answers per echo pod')
    .requiredOption('--url <url>', 'target, e.g. http://10.96.0.20/')
    .option('-n, --requests <n>', 'requests in total (default 100 unless --duration)')
    .option('--concurrency <c>', 'closed loop: workers with one request in flight each', '1')
    .option('--rate <r>', 'open loop: Poisson arrivals per second (replaces the closed loop)')
    .option('--keepalive', 'reuse connections (default)')
    .option('--no-keepalive', 'one connection per request')
    .option('--duration <s>', 'stop issuing after this many seconds')
    .option('--timeout <ms>', 'per-request timeout in ms', '10000')
    .option('--seed <n>', 'seed of the open loop\'s arrival times')
    .option('--json', 'print the result as one JSON object')
    .option('--each', 'print every answer as a JSON line first')
    .action((f: LoadgenFlags) => runLoadgen(f, processIo()))
}
