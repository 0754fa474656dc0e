// Benchmark: pod creates/s and p99 latency through HTTPS with 16 clients (10,000 pods), and watch
// fan-out (100 watchers: p99 delay from the write to each watcher), for the embedded store and etcd,
// side by side in one run. Usage: npm run bench:apiserver [-- --pods 10000 --clients 16 --watchers 100]
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request, Agent } from 'node:https'
import { createServer } from 'node:net'
import { parse as parseYaml } from 'yaml'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : def
}
const PODS = arg('pods', 10_000)
const CLIENTS = arg('clients', 16)
const WATCHERS = arg('watchers', 100)
const WATCH_WRITES = arg('watch-writes', 1_000)

interface Conn {
  host: string
  port: number
  token: string
  ca: Buffer
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => res(p))
    })
    s.on('error', rej)
  })
}

function waitLine(child: ChildProcess, stream: 'stdout' | 'stderr', re: RegExp): Promise<RegExpExecArray> {
  return new Promise((res, rej) => {
    let buf = ''
    child[stream]!.on('data', (d: Buffer) => {
      buf += d.toString()
      const m = re.exec(buf)
      if (m) res(m)
    })
    child.once('exit', (c) => rej(new Error(`exited ${c} before ${re}: ${buf.slice(-1000)}`)))
  })
}

async function startEtcd(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const [cp, pp] = [await freePort(), await freePort()]
  const url = `http://127.0.0.1:${cp}`
  const child = spawn('etcd', [
    '--data-dir', join(dir, 'etcd'), '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', `http://127.0.0.1:${pp}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${pp}`,
    '--initial-cluster', `default=http://127.0.0.1:${pp}`, '--quota-backend-bytes', String(4 * 1024 ** 3),
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  await waitLine(child, 'stderr', /ready to serve client requests/)
  return { child, url }
}

async function startApiserver(dir: string, extra: string[]): Promise<{ child: ChildProcess; conn: Conn }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/support/cli-entry.ts'), 'apiserver',
    '--data-dir', dir, '--bind-address', '127.0.0.1', '--secure-port', '0', ...extra], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  const m = await waitLine(child, 'stdout', /listening on https:\/\/([\d.]+):(\d+)/)
  const kc = parseYaml(readFileSync(join(dir, 'admin.kubeconfig'), 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[]
    users: { user: { token: string } }[]
  }
  return {
    child,
    conn: { host: m[1]!, port: Number(m[2]), token: kc.users[0]!.user.token, ca: Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64') },
  }
}

function call(conn: Conn, agent: Agent, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  const data = body === undefined ? undefined : JSON.stringify(body)
  return new Promise((res, rej) => {
    const req = request({ host: conn.host, port: conn.port, method, path, agent, ca: conn.ca, headers: {
      authorization: `Bearer ${conn.token}`, 'content-type': 'application/json', ...(data ? { 'content-length': Buffer.byteLength(data) } : {}) } }, (r) => {
      let b = ''
      r.setEncoding('utf8')
      r.on('data', (c: string) => (b += c))
      r.on('end', () => res({ status: r.statusCode ?? 0, body: b }))
    })
    req.on('error', rej)
    req.end(data)
  })
}

const pod = (ns: string, name: string): unknown => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 8080 }] }] },
})

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function createNamespace(conn: Conn, agent: Agent, name: string): Promise<void> {
  const r = await call(conn, agent, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })
  if (r.status !== 201 && r.status !== 409) throw new Error(`namespace create: ${r.status} ${r.body}`)
}

async function benchCreates(conn: Conn): Promise<{ perSec: number; p50: number; p99: number }> {
  const agent0 = new Agent({ keepAlive: true })
  await createNamespace(conn, agent0, 'bench')
  const lat: number[] = []
  let next = 0
  const t0 = performance.now()
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    for (;;) {
      const i = next++
      if (i >= PODS) break
      const s = performance.now()
      const r = await call(conn, agent, 'POST', '/api/v1/namespaces/bench/pods', pod('bench', `p-${i}`))
      if (r.status !== 201) throw new Error(`create p-${i}: ${r.status} ${r.body.slice(0, 300)}`)
      lat.push(performance.now() - s)
    }
    agent.destroy()
  }))
  const secs = (performance.now() - t0) / 1000
  lat.sort((a, b) => a - b)
  agent0.destroy()
  return { perSec: PODS / secs, p50: pct(lat, 50), p99: pct(lat, 99) }
}

async function benchWatch(conn: Conn): Promise<{ p50: number; p99: number; max: number; deliveries: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: WATCHERS + 8 })
  await createNamespace(conn, agent, 'watch')
  const list = await call(conn, agent, 'GET', '/api/v1/namespaces/watch/pods')
  const rv = (JSON.parse(list.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion
  const sentAt = new Map<string, number>()
  const delays: number[] = []
  let opened = 0
  let delivered = 0
  const expected = WATCHERS * WATCH_WRITES
  let resolveAll!: () => void
  const all = new Promise<void>((r) => (resolveAll = r))
  const reqs: ReturnType<typeof request>[] = []
  await new Promise<void>((resolveOpen) => {
    for (let w = 0; w < WATCHERS; w++) {
      const req = request({ host: conn.host, port: conn.port, agent, ca: conn.ca, path: `/api/v1/namespaces/watch/pods?watch=true&resourceVersion=${rv}`,
        headers: { authorization: `Bearer ${conn.token}` } }, (res) => {
        if (++opened === WATCHERS) resolveOpen()
        let buf = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          const now = performance.now()
          buf += chunk
          let i: number
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i)
            buf = buf.slice(i + 1)
            if (!line) continue
            const ev = JSON.parse(line) as { type: string; object: { metadata: { name: string } } }
            if (ev.type !== 'ADDED') continue
            const s = sentAt.get(ev.object.metadata.name)
            if (s !== undefined) delays.push(now - s)
            if (++delivered === expected) resolveAll()
          }
        })
      })
      req.on('error', () => {})
      req.end()
      reqs.push(req)
    }
  })
  const writer = new Agent({ keepAlive: true, maxSockets: 4 })
  let next = 0
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (;;) {
      const i = next++
      if (i >= WATCH_WRITES) break
      const name = `w-${i}`
      sentAt.set(name, performance.now())
      const r = await call(conn, writer, 'POST', '/api/v1/namespaces/watch/pods', pod('watch', name))
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status}`)
    }
  }))
  await all
  for (const r of reqs) r.destroy()
  agent.destroy()
  writer.destroy()
  delays.sort((a, b) => a - b)
  return { p50: pct(delays, 50), p99: pct(delays, 99), max: delays[delays.length - 1] ?? NaN, deliveries: delays.length }
}

async function runBackend(name: string, extra: string[]): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), `kplab-bench-${name}-`))
  const { child, conn } = await startApiserver(dir, extra)
  try {
    const c = await benchCreates(conn)
    const w = await benchWatch(conn)
    return {
      'creates/s': c.perSec.toFixed(0),
      'create p50 ms': c.p50.toFixed(2),
      'create p99 ms': c.p99.toFixed(2),
      'watch p50 ms': w.p50.toFixed(2),
      'watch p99 ms': w.p99.toFixed(2),
      'watch max ms': w.max.toFixed(2),
      'watch deliveries': String(w.deliveries),
    }
  } finally {
    child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  console.log(`bench:apiserver — ${PODS} pod creates over HTTPS with ${CLIENTS} clients; watch fan-out ${WATCHERS} watchers × ${WATCH_WRITES} writes`)
  const results: Record<string, Record<string, string>> = {}
  results.embedded = await runBackend('embedded', [])
  let etcd: { child: ChildProcess; url: string } | undefined
  const etcdDir = mkdtempSync(join(tmpdir(), 'kplab-bench-etcd-'))
  try {
    etcd = await startEtcd(etcdDir)
    results.etcd3 = await runBackend('etcd3', ['--storage-backend', 'etcd3', '--etcd-servers', etcd.url])
  } catch (err) {
    console.log(`etcd3: not measured (${(err as Error).message.split('\n')[0]})`)
  } finally {
    etcd?.child.kill('SIGTERM')
    rmSync(etcdDir, { recursive: true, force: true })
  }
  const backends = Object.keys(results)
  const rows = Object.keys(results.embedded!)
  const w = Math.max(...rows.map((r) => r.length))
  console.log(`${'metric'.padEnd(w)}  ${backends.map((b) => b.padStart(10)).join('  ')}`)
  for (const r of rows) console.log(`${r.padEnd(w)}  ${backends.map((b) => results[b]![r]!.padStart(10)).join('  ')}`)
  console.log(`targets: creates/s >= 2000 (embedded): ${Number(results.embedded!['creates/s']) >= 2000 ? 'met' : 'NOT met'}; watch p99 < 50 ms: ${Number(results.embedded!['watch p99 ms']) < 50 ? 'met' : 'NOT met'}`)
}

main().then(() => process.exit(0), (err) => {
  console.error(err)
  process.exit(1)
})
