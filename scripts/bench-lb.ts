// Per-algorithm pick micro-benchmark (issue 4 §3): 100 endpoints, target < 1 µs per pick.
// Usage: npm run bench:lb [-- --endpoints 100 --picks 2000000]
// Prints ns per pick alone and per pick + onStart + onFinish (what a proxy pays per connection or
// request), for each algorithm and for the ClientIP affinity layer; exits 1 when a pick misses 1 µs.
import { realClock } from '../src/base/clock.js'
import { seededRng } from '../src/base/rng.js'
import type { Balancer, PickContext } from '../src/lb/balancer.js'
import { ALGORITHMS, createBalancer } from '../src/lb/registry.js'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const endpoints = arg('endpoints', 100)
const picks = arg('picks', 1_000_000)
const TARGET_NS = 1000

const eps = Array.from({ length: endpoints }, (_, i) => ({ id: `10.244.${i >> 8}.${i & 255}:8080`, weight: 1 + (i % 3) }))
// Contexts made up front so the loop measures the balancer, not string building.
const contexts: PickContext[] = Array.from({ length: 4096 }, (_, i) => ({ clientIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }))
const mask = contexts.length - 1

// CPU time of this process, not wall time: the machine is shared (other builds, other helpers), and
// time spent descheduled is not time the pick costs.
function cpuNs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) * 1000
}

function pickOnly(b: Balancer, n: number): number {
  let sink = 0
  const t0 = cpuNs()
  for (let i = 0; i < n; i++) sink += b.pick(contexts[i & mask])!.length
  const ns = (cpuNs() - t0) / n
  if (sink === 0) throw new Error('no picks')
  return ns
}

function pickStartFinish(b: Balancer, n: number): number {
  const outcome = { ok: true, durationMs: 1 }
  const t0 = cpuNs()
  for (let i = 0; i < n; i++) {
    const id = b.pick(contexts[i & mask])!
    b.onStart(id)
    outcome.durationMs = 1 + (i & 7)
    b.onFinish(id, outcome)
  }
  return (cpuNs() - t0) / n
}

const cases: { label: string; make: () => Balancer }[] = [
  ...ALGORITHMS.map((a) => ({ label: a.name, make: () => createBalancer(a.name, {}, { rng: seededRng('bench'), clock: realClock }) })),
  {
    label: 'round-robin + affinity',
    make: () => createBalancer('round-robin', { sessionAffinity: { timeoutSeconds: 10800 } }, { rng: seededRng('bench'), clock: realClock }),
  },
  {
    label: 'p2c + outlier + slow start',
    make: () => createBalancer('p2c', { outlierDetection: {}, slowStart: { windowSeconds: 30 } }, { rng: seededRng('bench'), clock: realClock }),
  },
]

const rows: string[][] = [['algorithm', 'ns/pick', 'ns/pick+start+finish', `pick < ${TARGET_NS} ns`]]
let failed = 0
for (const c of cases) {
  const b = c.make()
  b.update(eps)
  pickOnly(b, Math.min(picks, 200_000)) // warm up: let V8 optimise before measuring
  pickStartFinish(b, Math.min(picks, 200_000))
  const a = Math.min(pickOnly(b, picks), pickOnly(b, picks))
  const f = Math.min(pickStartFinish(b, picks), pickStartFinish(b, picks))
  if (a >= TARGET_NS) failed++
  rows.push([c.label, a.toFixed(0), f.toFixed(0), a < TARGET_NS ? 'ok' : 'MISS'])
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
for (const r of rows) process.stdout.write(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ') + '\n')
process.stdout.write(`${endpoints} endpoints (weights 1-3), ${picks} picks per run, best of two runs, CPU time, node ${process.version}\n`)
process.exitCode = failed ? 1 : 0
