// Profile: CPU time per pod create in the API server, steady state (after a warm-up), with the
// durable embedded store. Two modes:
//   inject (default): requests through app.inject() in this process (no sockets, no TLS);
//   https: the server listens over HTTPS in this process and a child process runs the 16 keep-alive
//          clients, so process.cpuUsage() here is the server's CPU alone.
// It prints creates/s, CPU µs per create, log batches and fsyncs per batch; with --cpu-prof DIR it
// also writes a V8 .cpuprofile of the measured loop only (open it in Chrome DevTools or summarise it).
// Usage: node --import tsx scripts/profile-apiserver.ts [--mode inject|https] [--pods 3000]
//        [--clients 16] [--warmup 500] [--cpu-prof DIR] [--no-fsync]
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { buildApiServer } from '../src/apiserver/app.js'
import { ensureServingCerts } from '../src/apiserver/auth/tls.js'
import { EmbeddedStore } from '../src/storage/embedded/store.js'

const argv = process.argv.slice(2)
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1]! : def
}
const MODE = opt('mode', 'inject')
const PODS = Number(opt('pods', '3000'))
const CLIENTS = Number(opt('clients', '16'))
const WARMUP = Number(opt('warmup', '500'))
const PROF_DIR = opt('cpu-prof', '')

const podBody = (name: string): string =>
  JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'bench' } },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 8080 }] }] },
  })

// The HTTPS clients, run in a child process so their CPU is not counted here. Each line on stdin is
// `<from> <to>`: create pods p-from..p-to-1 with CLIENTS keep-alive connections, then print `done`.
const CLIENT_SRC = `
const https = require('node:https'); const rl = require('node:readline');
const [port, clients] = [Number(process.argv[1]), Number(process.argv[2])];
const ca = Buffer.from(process.argv[3], 'base64');
const agents = Array.from({ length: clients }, () => new https.Agent({ keepAlive: true, maxSockets: 1 }));
const body = (n) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p-' + n, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 8080 }] }] } });
const post = (agent, n) => new Promise((res, rej) => { const d = body(n);
  const req = https.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/namespaces/bench/pods', agent, ca,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(d) } }, (r) => {
    r.resume(); r.on('end', () => r.statusCode === 201 ? res() : rej(new Error('status ' + r.statusCode))) });
  req.on('error', rej); req.end(d) });
rl.createInterface({ input: process.stdin }).on('line', async (line) => {
  const [from, to] = line.split(' ').map(Number); let next = from;
  await Promise.all(agents.map(async (a) => { while (next < to) await post(a, next++) }));
  process.stdout.write('done\\n') });
`

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kplab-profile-'))
  const store = new EmbeddedStore({ dataDir: join(dir, 'store'), fsync: !argv.includes('--no-fsync') })
  await store.open()
  const certs = MODE === 'https' ? await ensureServingCerts(dir, ['127.0.0.1']) : undefined
  const app = await buildApiServer({ store, tokens: null, https: certs ? { key: certs.key, cert: certs.cert } : undefined })
  await app.inject({ method: 'POST', url: '/api/v1/namespaces', payload: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } } })

  let run: (from: number, to: number) => Promise<void>
  let cleanup = async (): Promise<void> => undefined
  if (MODE === 'https') {
    await app.listen({ host: '127.0.0.1', port: 0 })
    const port = (app.server.address() as AddressInfo).port
    const child = spawn(process.execPath, ['-e', CLIENT_SRC, String(port), String(CLIENTS), Buffer.from(certs!.caCert).toString('base64')], { stdio: ['pipe', 'pipe', 'inherit'] })
    child.stdout!.setEncoding('utf8')
    run = async (from, to) => {
      child.stdin!.write(`${from} ${to}\n`)
      const [line] = (await once(child.stdout!, 'data')) as [string]
      if (!line.startsWith('done')) throw new Error(`client: ${line}`)
    }
    cleanup = async () => {
      child.kill('SIGTERM')
    }
  } else {
    run = async (from, to) => {
      let next = from
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        while (next < to) {
          const n = next++
          const r = await app.inject({ method: 'POST', url: '/api/v1/namespaces/bench/pods', headers: { 'content-type': 'application/json' }, payload: podBody(`p-${n}`) })
          if (r.statusCode !== 201) throw new Error(r.body)
        }
      }))
    }
  }

  await run(0, WARMUP)
  const session = new Session()
  if (PROF_DIR) {
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
  }
  const before = store.stats()
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await run(WARMUP, WARMUP + PODS)
  const cpu = process.cpuUsage(cpu0)
  const ms = performance.now() - t0
  const after = store.stats()
  if (PROF_DIR) {
    const { profile } = await session.post('Profiler.stop')
    mkdirSync(PROF_DIR, { recursive: true })
    const file = join(PROF_DIR, `apiserver-${MODE}.cpuprofile`)
    writeFileSync(file, JSON.stringify(profile))
    console.log(`profile: ${file}`)
  }
  const batches = after.batches - before.batches
  console.log(`${MODE}: ${PODS} creates, ${CLIENTS} clients: ${((PODS / ms) * 1000).toFixed(0)} creates/s; ` +
    `CPU ${((cpu.user + cpu.system) / PODS).toFixed(0)} µs/create (user ${(cpu.user / PODS).toFixed(0)}, system ${(cpu.system / PODS).toFixed(0)}); ` +
    `${batches} batches, ${(PODS / Math.max(1, batches)).toFixed(1)} writes/batch`)
  await cleanup()
  await app.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err)
  process.exit(1)
})
