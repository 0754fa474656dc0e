// Userspace proxy benchmark (issue 4 §3): kplab L4 and L7 with each algorithm against HAProxy TCP
// roundrobin and HTTP leastconn, plus the raw L4 machineries (pipe, data/write, onread), on loopback.
// Usage: npm run bench:userspace [-- --duration 5 --rounds 3 --connections 64 --algorithms round-robin,p2c --backends-kind nginx|node]
// The proxy under test is pinned to core 0; wrk and the two backends share core 1. Backends are one
// nginx (one worker, two listeners; as in the reference measurements), or with
// `--backends node` two Node http servers, which cap every case near their own ~23k req/s. Cases run
// interleaved round after round so drift on the shared machine hits them all alike; medians are
// reported. Ends with `ratio L4/haproxy-tcp X.XX` and `ratio L7/haproxy-http X.XX` (best algorithm).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { realClock } from '../src/base/clock.js'
import { seededRng } from '../src/base/rng.js'
import { createBalancer } from '../src/lb/registry.js'
import { HttpProxy } from '../src/proxy/userspace/http-proxy.js'
import { PortRuntime } from '../src/proxy/userspace/port-runtime.js'
import { ProxyStats } from '../src/proxy/userspace/stats.js'
import { TcpProxy } from '../src/proxy/userspace/tcp-proxy.js'

const SELF = fileURLToPath(import.meta.url)

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}

// ---- child roles: a backend, or a proxy under test (run pinned by the parent) ----

async function runBackend(name: string): Promise<void> {
  const { createServer } = await import('node:http')
  const body = Buffer.from(`hello from ${name}\n`)
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length })
    res.end(body)
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as net.AddressInfo).port}`))
}

async function runProxy(kind: string, algorithm: string, backends: string[]): Promise<void> {
  if (kind === 'pipe' || kind === 'data') {
    // The alternatives the L4 path was measured against (issue 4 §3); round-robin by hand.
    let next = 0
    const server = net.createServer({ noDelay: true }, (c) => {
      const [host, port] = backends[next++ % backends.length]!.split(':')
      const u = net.connect({ host, port: Number(port), noDelay: true })
      c.on('error', () => u.destroy())
      u.on('error', () => c.destroy())
      if (kind === 'pipe') {
        c.pipe(u)
        u.pipe(c)
      } else {
        c.on('data', (d) => u.write(d) || c.pause())
        u.on('drain', () => c.resume())
        u.on('data', (d) => c.write(d) || u.pause())
        c.on('drain', () => u.resume())
        c.on('end', () => u.end())
        u.on('end', () => c.end())
      }
    })
    server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as net.AddressInfo).port}`))
    return
  }
  const stats = new ProxyStats()
  const rt = new PortRuntime(createBalancer(algorithm, {}, { clock: realClock, rng: seededRng(1) }), stats.port('bench/web:p', 'tcp', algorithm))
  rt.setEndpoints(backends.map((id) => ({ id })))
  const proxy = kind === 'l7' ? new HttpProxy({ runtime: rt, clock: realClock }) : new TcpProxy({ runtime: rt, clock: realClock })
  console.log(`port ${await proxy.listen()}`)
}

// ---- parent ----

interface Run {
  rps: number
  p50: number
  p99: number
}

function spawnPinned(core: number, cmd: string, args: string[]): ChildProcess {
  return spawn('taskset', ['-c', String(core), cmd, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
}

async function portOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /^port (\d+)$/.exec(l)
      if (m) resolve(Number(m[1]))
    })
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before listening`)))
  })
}

async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1')
  await once(s, 'listening')
  const p = (s.address() as net.AddressInfo).port
  await new Promise((r) => s.close(r))
  return p
}

async function waitListening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (ok) return
    await realClock.sleep(50)
  }
  throw new Error(`nothing listens on ${port}`)
}

function ms(v: string, unit: string): number {
  const n = Number(v)
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n
}

function wrk(port: number, seconds: number, connections: number): Run {
  const out = execFileSync('taskset', ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}/`], { encoding: 'utf8' })
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0)
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(out)
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out)
  if (/Non-2xx|Socket errors/.test(out)) process.stderr.write(`warning on port ${port}: ${out.split('\n').filter((l) => /Non-2xx|Socket errors/.test(l)).join(' ')}\n`)
  return { rps, p50: p50 ? ms(p50[1]!, p50[2]!) : NaN, p99: p99 ? ms(p99[1]!, p99[2]!) : NaN }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

/** One nginx worker on core 1 answering on two ports: fast enough that the proxies are what is measured. */
async function startNginx(dir: string, children: ChildProcess[]): Promise<string[]> {
  const ports = [await freePort(), await freePort()]
  const conf = join(dir, 'nginx.conf')
  const servers = ports
    .map((p, i) => `  server { listen 127.0.0.1:${p} reuseport; location / { default_type text/plain; return 200 "hello from b${i + 1}\\n"; } }`)
    .join('\n')
  writeFileSync(
    conf,
    `worker_processes 1;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'nginx-error.log')};\nevents { worker_connections 4096; }\n` +
      `http {\n  access_log off;\n  keepalive_requests 1000000;\n  keepalive_timeout 60s;\n  client_body_temp_path ${dir};\n  proxy_temp_path ${dir};\n  fastcgi_temp_path ${dir};\n  uwsgi_temp_path ${dir};\n  scgi_temp_path ${dir};\n${servers}\n}\n`,
  )
  const ng = spawnPinned(1, 'nginx', ['-c', conf, '-g', 'daemon off;'])
  children.push(ng)
  for (const p of ports) await waitListening(p)
  return ports.map((p) => `127.0.0.1:${p}`)
}

function ensureTools(withNginx: boolean): void {
  const missing = ['haproxy', 'wrk', 'taskset', ...(withNginx ? ['nginx'] : [])].filter((c) => {
    try {
      execFileSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' })
      return false
    } catch {
      return true
    }
  })
  if (missing.length === 0) return
  const pkgs = missing.map((m) => (m === 'taskset' ? 'util-linux' : m === 'nginx' ? 'nginx-light' : m))
  process.stderr.write(`installing ${pkgs.join(' ')} from Debian…\n`)
  execFileSync('apt-get', ['install', '-y', ...pkgs], { stdio: 'inherit' })
}

async function main(): Promise<void> {
  const role = arg('role', '')
  if (role === 'backend') return runBackend(arg('name', 'b'))
  if (role === 'proxy') return runProxy(arg('kind', 'l4'), arg('algorithm', 'round-robin'), arg('backends', '').split(','))
  const backendKind = arg('backends-kind', 'nginx')
  if (backendKind !== 'nginx' && backendKind !== 'node') throw new Error('--backends-kind: use nginx or node')
  ensureTools(backendKind === 'nginx')
  const seconds = Number(arg('duration', '5'))
  const rounds = Number(arg('rounds', '3'))
  const connections = Number(arg('connections', '64'))
  const algorithms = arg('algorithms', 'round-robin,least-connection,power-of-two-choices,random,least-time,ip-hash,ring-hash,maglev').split(',')
  const children: ChildProcess[] = []
  const dir = mkdtempSync(join(tmpdir(), 'kplab-bench-'))
  const stopAll = (): void => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
  process.on('exit', stopAll)
  try {
    const node = (core: number, args: string[]): ChildProcess => {
      const c = spawnPinned(core, process.execPath, ['--import', 'tsx', SELF, ...args])
      children.push(c)
      return c
    }
    let backends: string[]
    if (backendKind === 'nginx') backends = await startNginx(dir, children)
    else {
      const b1 = node(1, ['--role', 'backend', '--name', 'b1'])
      const b2 = node(1, ['--role', 'backend', '--name', 'b2'])
      backends = [`127.0.0.1:${await portOf(b1)}`, `127.0.0.1:${await portOf(b2)}`]
    }
    const [tcpPort, httpPort] = [await freePort(), await freePort()]
    const cfg = join(dir, 'haproxy.cfg')
    const servers = backends.map((b, i) => `  server b${i + 1} ${b}`).join('\n')
    writeFileSync(
      cfg,
      `global\n  maxconn 4096\n  nbthread 1\ndefaults\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n` +
        `listen tcp\n  bind 127.0.0.1:${tcpPort}\n  mode tcp\n  balance roundrobin\n${servers}\n` +
        `listen http\n  bind 127.0.0.1:${httpPort}\n  mode http\n  balance leastconn\n  http-reuse always\n  option http-keep-alive\n${servers}\n`,
    )
    const ha = spawnPinned(0, 'haproxy', ['-f', cfg, '-db'])
    children.push(ha)
    await waitListening(tcpPort)
    await waitListening(httpPort)
    const cases: { name: string; layer: 'direct' | 'L4' | 'L7' | 'ref'; port: number }[] = [
      { name: 'direct', layer: 'direct', port: Number(backends[0]!.split(':')[1]) },
      { name: 'haproxy-tcp roundrobin', layer: 'ref', port: tcpPort },
      { name: 'haproxy-http leastconn', layer: 'ref', port: httpPort },
    ]
    for (const kind of ['pipe', 'data']) {
      cases.push({ name: `node ${kind === 'pipe' ? 'pipe()' : 'data/write'} (L4 rr)`, layer: 'direct', port: await portOf(node(0, ['--role', 'proxy', '--kind', kind, '--backends', backends.join(',')])) })
    }
    for (const kind of ['l4', 'l7']) {
      for (const a of algorithms) {
        const p = await portOf(node(0, ['--role', 'proxy', '--kind', kind, '--algorithm', a, '--backends', backends.join(',')]))
        cases.push({ name: `kplab ${kind.toUpperCase()} ${a}`, layer: kind === 'l4' ? 'L4' : 'L7', port: p })
      }
    }
    const runs = new Map<string, Run[]>(cases.map((c) => [c.name, []]))
    for (let r = 0; r < rounds; r++) {
      process.stderr.write(`round ${r + 1}/${rounds}…\n`)
      for (const c of cases) {
        wrk(c.port, 1, connections) // warm-up (JIT, pools)
        runs.get(c.name)!.push(wrk(c.port, seconds, connections))
      }
    }
    const med = (name: string): Run => {
      const rs = runs.get(name)!
      return { rps: median(rs.map((x) => x.rps)), p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)) }
    }
    const tcpRef = med('haproxy-tcp roundrobin').rps
    const httpRef = med('haproxy-http leastconn').rps
    const lines = [
      `userspace proxy benchmark: wrk -t1 -c${connections} keep-alive, ${seconds}s × ${rounds} rounds interleaved (medians); proxy on core 0, wrk + ${backendKind === 'nginx' ? 'nginx (1 worker, 2 listeners)' : '2 Node backends'} on core 1`,
      '',
      '| case | req/s | p50 ms | p99 ms | ratio |',
      '|---|---:|---:|---:|---:|',
    ]
    let bestL4 = 0
    let bestL7 = 0
    for (const c of cases) {
      const m = med(c.name)
      const ref = c.layer === 'L7' || c.name.startsWith('haproxy-http') ? httpRef : tcpRef
      if (c.layer === 'L4') bestL4 = Math.max(bestL4, m.rps)
      if (c.layer === 'L7') bestL7 = Math.max(bestL7, m.rps)
      lines.push(`| ${c.name} | ${m.rps.toFixed(0)} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${(m.rps / ref).toFixed(2)} |`)
    }
    lines.push('', `ratio L4/haproxy-tcp ${(bestL4 / tcpRef).toFixed(2)}`, `ratio L7/haproxy-http ${(bestL7 / httpRef).toFixed(2)}`)
    process.stdout.write(lines.join('\n') + '\n')
  } finally {
    stopAll()
  }
}

await main()
