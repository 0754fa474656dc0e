// Benchmark: the scheduler binding 10,000 pods onto 1,000 nodes through a real API server (the
// `kplab apiserver` process, HTTPS + token, embedded store). Prints pods/s end to end (first create
// → last binding) and the p50/p99 time from a pod's create request to its binding, whether the target
// (>= 500 pods/s) is met, and CPU time spent (scheduling cycles, this process, the apiserver process) so
// runs on a shared machine compare by CPU, not only by wall time.
// Usage: npm run bench:scheduler [-- --nodes 1000 --pods 10000 --clients 32]
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RESOURCES } from '../src/api/registry.js'
import type { Node, Pod } from '../src/api/types.js'
import { realClock } from '../src/base/clock.js'
import { seededRng } from '../src/base/rng.js'
import { loadKubeconfig } from '../src/client/kubeconfig.js'
import { RestClient } from '../src/client/rest-client.js'
import { Scheduler } from '../src/scheduler/scheduler.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : def
}
const NODES = arg('nodes', 1000)
const PODS = arg('pods', 10_000)
const CLIENTS = arg('clients', 32)
const PODS_R = RESOURCES.find((r) => r.plural === 'pods')!
const NODES_R = RESOURCES.find((r) => r.plural === 'nodes')!

function startApiserver(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/support/cli-entry.ts'), 'apiserver', '--data-dir', dir, '--bind-address', '127.0.0.1', '--secure-port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((res, rej) => {
    let buf = ''
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString()
      if (/listening on https/.test(buf)) res(child)
    })
    child.once('exit', (c) => rej(new Error(`apiserver exited ${c}: ${buf}`)))
  })
}

async function pool(n: number, workers: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < n) await fn(next++)
  }))
}

const TARGET_PODS_PER_SEC = 500

/** CPU seconds (user + system) of another process from /proc (Linux), or NaN elsewhere. */
function procCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    // utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are at 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kplab-bench-sched-'))
  let apiserver: ChildProcess
  try {
    apiserver = await startApiserver(dir)
  } catch (err) {
    // Nothing else to clean up yet: the apiserver never came up.
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  const config = loadKubeconfig({ explicitPath: join(dir, 'admin.kubeconfig') })
  const client = new RestClient(config)
  const stop = new AbortController()
  try {
    await pool(NODES, CLIENTS, async (i) => {
      await client.create<Node>(NODES_R, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}` } },
        status: { allocatable: { cpu: '32', memory: '128Gi', pods: '110' }, capacity: { cpu: '32', memory: '128Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
      })
    })
    const scheduler = new Scheduler({ client: new RestClient(config), clock: realClock, rng: seededRng(1) })
    const created = new Map<string, number>()
    const latencies: number[] = []
    let lastBind = 0
    let allBound!: () => void
    const bound = new Promise<void>((r) => (allBound = r))
    scheduler.on('scheduled', (key: string) => {
      const t0 = created.get(key)
      if (t0 === undefined) return
      lastBind = performance.now()
      latencies.push(lastBind - t0)
      if (latencies.length === PODS) allBound()
    })
    scheduler.on('bindFailed', (key: string, err: Error) => console.error(`bind failed ${key}: ${err.message}`))
    const running = scheduler.run(stop.signal)
    await new Promise((r) => scheduler.once('synced', r))
    const owners = 100
    const cpu0 = process.cpuUsage()
    const apiCpu0 = procCpuSeconds(apiserver.pid)
    const start = performance.now()
    await pool(PODS, CLIENTS, async (i) => {
      const name = `pod-${i}`
      created.set(`default/${name}`, performance.now())
      await client.create<Pod>(PODS_R, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${i % owners}`, uid: `uid-${i % owners}`, controller: true }] },
        spec: { containers: [{ name: 'c', image: 'kplab/echo', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
      })
    })
    const createdAt = performance.now()
    await bound
    const cpu = process.cpuUsage(cpu0)
    const apiCpu = procCpuSeconds(apiserver.pid) - apiCpu0
    latencies.sort((a, b) => a - b)
    const secs = (lastBind - start) / 1000
    const rate = PODS / secs
    console.log(`scheduler benchmark: ${PODS} pods onto ${NODES} nodes through kplab apiserver (HTTPS), ${CLIENTS} creating clients`)
    console.log(`  creates done after      ${((createdAt - start) / 1000).toFixed(2)} s`)
    console.log(`  last binding after      ${secs.toFixed(2)} s`)
    console.log(`  throughput              ${rate.toFixed(0)} pods/s end to end (target >= ${TARGET_PODS_PER_SEC})`)
    console.log(`  create → bound latency  p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms`)
    const { cycles, cycleMs, cycleCpuMs } = scheduler.stats
    const perPod = (ms: number): string => ((ms * 1000) / Math.max(1, cycles)).toFixed(0)
    console.log(`  scheduling cycles       ${cycles}: cpu ${(cycleCpuMs / 1000).toFixed(2)} s (${perPod(cycleCpuMs)} µs/pod), wall ${(cycleMs / 1000).toFixed(2)} s (${perPod(cycleMs)} µs/pod)`)
    console.log(`  cpu                     bench process ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (creates + informers + scheduler + binds), apiserver ${apiCpu.toFixed(2)} s`)
    console.log(`  target                  ${rate >= TARGET_PODS_PER_SEC ? 'met' : 'MISSED'} (${rate.toFixed(0)} pods/s ${rate >= TARGET_PODS_PER_SEC ? '>=' : '<'} ${TARGET_PODS_PER_SEC})`)
    stop.abort()
    await running
  } finally {
    stop.abort()
    client.close()
    apiserver.kill('SIGTERM')
    await new Promise((r) => apiserver.once('exit', r))
    rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
