// Simulator benchmark (issue 5 §4). Usage: npm run bench:sim [-- --requests 2000000]
// Prints: simulated requests per second for power-of-two-choices over 100 backends (Poisson
// arrivals, exponential service; target ≥ 2 M/s on one core, aim ≥ 3 M/s so it holds on a loaded
// machine), the 10^6 balls-into-bins runs for d = 1, 2, 3 (target < 3 s in total, with the max
// loads; the scenario, with its million backend objects, is built before the clock starts, as a
// loaded scenario file would be), and memory as `requests` grows from 10^6 to 10^7 (target: flat).
// Times are CPU time of this process: the machine may be shared, and time spent descheduled is not
// time the simulator costs. Each figure is the best of `--repeat` runs (default 2), since a busy
// machine only ever makes a run slower. Exits 1 when a target is missed.
import { runAlgorithm } from '../src/sim/engine.js'
import { validateScenario, type Scenario } from '../src/sim/scenario.js'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function scenario(backends: number, requests: number, service: Record<string, unknown>, algorithms: Record<string, unknown>[]): Scenario {
  return validateScenario({ backends, workload: { arrivals: { type: 'poisson', rate: 0.9 }, service, requests }, algorithms })
}

let ok = true
const requests = arg('requests', 2_000_000)
const repeat = Math.max(1, arg('repeat', 2))

/** Runs `f` `repeat` times; returns the last result, the least CPU time (ms) and every run's time, for the record. */
function best<T>(f: () => T): { result: T; ms: number; runs: string } {
  const times: number[] = []
  let result!: T
  for (let i = 0; i < repeat; i++) {
    const t0 = cpuMs()
    result = f()
    times.push(cpuMs() - t0)
  }
  return { result, ms: Math.min(...times), runs: `runs ${times.map((t) => t.toFixed(0)).join(', ')} ms` }
}

// 1. Throughput: P2C over 100 backends. A short warm-up run lets V8 optimise the loop first.
const p2c = (n: number): Scenario => scenario(100, n, { distribution: 'exponential', mean: 1 }, [{ name: 'power-of-two-choices', params: { choices: 2 } }])
runAlgorithm(p2c(200_000), p2c(200_000).algorithms[0]!, 1)
{
  const s = p2c(requests)
  const { result: r, ms, runs } = best(() => runAlgorithm(s, s.algorithms[0]!, 1))
  const rate = requests / (ms / 1000)
  const pass = rate >= 2e6
  ok &&= pass
  const aim = rate >= 3e6 ? 'aim ≥ 3 M/s met' : 'aim ≥ 3 M/s not met'
  console.log(`p2c, 100 backends, ${requests.toLocaleString('en')} requests: ${ms.toFixed(0)} ms CPU, ${(rate / 1e6).toFixed(2)} M requests/s (target ≥ 2 M/s) ${pass ? 'ok' : 'MISSED'} (${aim}; ${runs}); mean time in system ${r.metrics.meanResponseTime.toFixed(3)}`)
}

// 2. Balls into bins, n = 10^6, d = 1, 2, 3.
{
  const n = 1_000_000
  const s = validateScenario({
    backends: n,
    workload: { arrivals: { type: 'poisson', rate: 1 }, service: { distribution: 'infinite' }, requests: n },
    algorithms: [{ name: 'random' }, { name: 'power-of-two-choices', params: { choices: 2 } }, { name: 'power-of-two-choices', params: { choices: 3 } }],
  })
  const { result: loads, ms, runs } = best(() => s.algorithms.map((a) => runAlgorithm(s, a, 1).metrics.maxLoad))
  const pass = ms < 3000
  ok &&= pass
  console.log(`balls into bins, n = 10^6: max load d=1 ${loads[0]}, d=2 ${loads[1]}, d=3 ${loads[2]} (published: 8–9, 4, 3); ${ms.toFixed(0)} ms CPU for all three (target < 3000) ${pass ? 'ok' : 'MISSED'} (${runs}; the first includes building the scenario's backend columns, cached after)`)
}

// 3. Memory as requests grow: heap after each run (after a GC when exposed), 10^6 then 10^7.
{
  const gc = (globalThis as { gc?: () => void }).gc
  const heaps: number[] = []
  for (const n of [1_000_000, 10_000_000]) {
    const s = p2c(n)
    const t0 = cpuMs()
    runAlgorithm(s, s.algorithms[0]!, 1)
    const ms = cpuMs() - t0
    gc?.()
    const mem = process.memoryUsage()
    heaps.push(mem.heapUsed + mem.arrayBuffers)
    console.log(`p2c, ${n.toLocaleString('en')} requests: ${ms.toFixed(0)} ms CPU, ${(n / (ms / 1000) / 1e6).toFixed(2)} M requests/s; heap + buffers ${(heaps.at(-1)! / 1e6).toFixed(1)} MB, rss ${(mem.rss / 1e6).toFixed(1)} MB`)
  }
  const growth = heaps[1]! - heaps[0]!
  const pass = growth < 16e6
  ok &&= pass
  console.log(`memory growth from 10^6 to 10^7 requests: ${(growth / 1e6).toFixed(1)} MB (target: flat, < 16 MB) ${pass ? 'ok' : 'MISSED'}${gc ? '' : ' (run with --expose-gc for a steadier figure)'}`)
}

process.exitCode = ok ? 0 : 1
