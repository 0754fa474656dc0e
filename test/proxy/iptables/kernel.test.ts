// The proof on a real kernel: kplab's generated rules, applied by the iptables proxier with the real
// iptables-restore inside a node namespace, balance real TCP connections uniformly, agree with
// the KUBE-SEP counters, follow partial syncs without resetting established connections, and
// --cleanup leaves no KUBE- chain. Root only; CI must run it (requireCapability).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import t, { type Test } from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import type { EndpointSlice, Service } from '../../../src/api/types.js'
import { realClock } from '../../../src/base/clock.js'
import { seededRng } from '../../../src/base/rng.js'
import { RestClient } from '../../../src/client/rest-client.js'
import { routeStep } from '../../../src/netns/links.js'
import { runStep } from '../../../src/netns/step.js'
import type { IptablesModeProxier } from '../../../src/proxy/iptables/mode.js'
import type { IptablesProxier, SyncOutcome } from '../../../src/proxy/iptables/proxier.js'
import { IptablesExec } from '../../../src/proxy/iptables/restore.js'
import { parseProxyOptions } from '../../../src/proxy/options.js'
import { ProxyServer } from '../../../src/proxy/server.js'
import { startKplabApiServer } from '../../support/kplab-apiserver.js'
import { withNamespaces, type LabNet } from '../../support/netns.js'

const res = (plural: string) => RESOURCES.find((r) => r.plural === plural)!
const CLUSTER_IP = '10.96.0.50'
const NODE_PORT = 30080
const TARGET_PORT = 8080
const CONNECTIONS = 3000
// chi-square critical value, df = 2, p = 0.001
const CHI2_CRIT = 13.816

// A backend: greets each connection with its name, then echoes lines prefixed with it.
const SERVER_JS = `const name = process.argv[1]; require('net').createServer((s) => { s.on('error', () => {}); s.write(name + '\\n');` +
  ` s.on('data', (d) => s.write(name + ':' + d)) }).listen(${TARGET_PORT}, '0.0.0.0', () => console.log('listening'))`
// Opens n connections in parallel batches, counts the greeting names, prints one JSON line.
const BULK_JS = `const net = require('net'); const [ip, port, n, batch] = process.argv.slice(1); const counts = {}; let errors = 0;
function one() { return new Promise((r) => { const s = net.connect(+port, ip); let d = ''; s.setTimeout(5000, () => { errors++; s.destroy(); r() });
  s.on('data', (x) => { d += x; const i = d.indexOf('\\n'); if (i >= 0) { const k = d.slice(0, i); counts[k] = (counts[k] || 0) + 1; s.destroy(); r() } });
  s.on('error', () => { errors++; r() }) }) }
(async () => { let left = +n; while (left > 0) { const k = Math.min(+batch, left); left -= k; await Promise.all(Array.from({ length: k }, one)) } console.log(JSON.stringify({ counts, errors })) })()`
// Keeps one connection to the backend named `want` open; stdin lines go out, socket data comes back.
const HOLD_JS = `const net = require('net'); const [ip, port, want] = process.argv.slice(1);
function attempt() { return new Promise((r) => { const s = net.connect(+port, ip); let d = ''; s.on('error', (e) => console.log('error ' + e.message));
  s.on('data', function h(x) { d += x; const i = d.indexOf('\\n'); if (i >= 0) { s.off('data', h); r({ s, name: d.slice(0, i) }) } }) }) }
(async () => { let got; for (let i = 0; i < 100 && !got; i++) { const a = await attempt(); if (a.name === want) got = a; else a.s.destroy() }
  if (!got) { console.log('nomatch'); process.exit(1) } console.log('connected ' + got.name);
  got.s.on('data', (x) => process.stdout.write(String(x))); got.s.on('close', () => console.log('closed'));
  require('readline').createInterface({ input: process.stdin }).on('line', (l) => got.s.write(l + '\\n')).on('close', () => { got.s.end(); process.exit(0) }) })()`

/** Spawns node with a script inside a namespace; killed by PID at teardown. */
function nodeIn(t: Test, netns: string, script: string, args: string[]): { child: ChildProcessWithoutNullStreams; lines: AsyncIterator<string> } {
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  let exited = false
  child.on('exit', () => (exited = true))
  t.teardown(async () => {
    if (exited) return
    const gone = once(child, 'exit')
    child.kill('SIGTERM')
    await gone
  })
  child.stderr.on('data', (b: Buffer) => t.comment(`${netns}: ${b.toString().trim()}`))
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() }
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const r = await lines.next()
  if (r.done === true) throw new Error('process ended without output')
  return r.value
}

/** Opens n connections from netns to ip:port; resolves with the connections each backend answered. */
async function connectMany(t: Test, netns: string, ip: string, port: number, n: number): Promise<Record<string, number>> {
  const { lines } = nodeIn(t, netns, BULK_JS, [ip, String(port), String(n), '64'])
  const out = JSON.parse(await nextLine(lines)) as { counts: Record<string, number>; errors: number }
  t.equal(out.errors, 0, `no failed connections to ${ip}:${port}`)
  return out.counts
}

function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0)
  const e = total / counts.length
  return counts.reduce((s, o) => s + (o - e) ** 2 / e, 0)
}

/** Packets per DNAT destination IP, from the KUBE-SEP rules' counters (`iptables-save -c`). */
async function sepCounters(lab: LabNet): Promise<Map<string, number>> {
  const r = await lab.runner.run('iptables-save', ['-c', '-t', 'nat'], { netns: lab.node.netns })
  const out = new Map<string, number>()
  for (const line of r.stdout.split('\n')) {
    const m = /^\[(\d+):\d+\] -A KUBE-SEP-\S+ .*-j DNAT --to-destination (\d+\.\d+\.\d+\.\d+):\d+/.exec(line)
    if (m) out.set(m[2]!, (out.get(m[2]!) ?? 0) + Number(m[1]))
  }
  return out
}

function service(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'NodePort', clusterIP: CLUSTER_IP, ports: [{ name: 'p', port: 80, protocol: 'TCP', targetPort: TARGET_PORT, nodePort: NODE_PORT }] },
  } as Service
}

function slice(ips: string[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1' })),
    ports: [{ name: 'p', port: TARGET_PORT, protocol: 'TCP' }],
  } as EndpointSlice
}

/** Resolves with the first sync outcome satisfying pred (listening starts now, before the caller's write). */
function syncWhere(proxier: IptablesProxier, pred: (o: SyncOutcome) => boolean): Promise<SyncOutcome> {
  return new Promise((resolve) => {
    const on = (o: SyncOutcome): void => {
      if (!pred(o)) return
      proxier.off('synced', on)
      resolve(o)
    }
    proxier.on('synced', on)
  })
}

t.test('generated rules on a real kernel: uniform balancing, counters, partial syncs, cleanup', async (t) => {
  const lab = await withNamespaces(t, { pods: 3, client: true })
  if (lab === undefined) return
  // A real node has a default route; without any route the OUTPUT path fails before nat can DNAT
  // the ClusterIP, so the node namespace gets one for the service CIDR.
  await runStep(lab.runner, routeStep(lab.node.netns, { to: '10.96.0.0/12', dev: 'cbr0' }))
  const names = lab.pods.map((_, i) => `pod${i + 1}`)
  for (const [i, pod] of lab.pods.entries()) {
    const { lines } = nodeIn(t, pod.netns, SERVER_JS, [names[i]!])
    t.equal(await nextLine(lines), 'listening')
  }
  const { url } = await startKplabApiServer(t)
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  t.teardown(() => client.close())
  await client.create(res('services'), service())
  await client.create(res('endpointslices'), slice(lab.pods.map((p) => p.ip)))

  const iptables = new IptablesExec({ runner: lab.runner, netns: lab.node.netns })
  const opts = parseProxyOptions({ mode: 'iptables', metricsBindAddress: '127.0.0.1:0', hostnameOverride: 'node-1' })
  const server = new ProxyServer(opts, { client, clock: realClock, rng: seededRng(1), iptables })
  const proxier = (server.proxier as unknown as IptablesModeProxier).proxier
  const first = syncWhere(proxier, (o) => o.full)
  const ac = new AbortController()
  const running = server.start(ac.signal)
  let stopped = false
  const stopProxy = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    ac.abort()
    await running
  }
  t.teardown(stopProxy)
  await first

  // ClusterIP from the node itself (nat OUTPUT), then the NodePort from the client (nat PREROUTING).
  const byIp = new Map(lab.pods.map((p, i) => [names[i]!, p.ip]))
  const totals = new Map<string, number>()
  for (const [what, netns, ip, port] of [
    ['ClusterIP', lab.node.netns, CLUSTER_IP, 80],
    ['NodePort', lab.client!.netns, lab.node.ip, NODE_PORT],
  ] as const) {
    const counts = await connectMany(t, netns, ip, port, CONNECTIONS)
    const observed = names.map((n) => counts[n] ?? 0)
    t.equal(observed.reduce((a, b) => a + b, 0), CONNECTIONS, `${what}: every connection answered by a backend`)
    const chi2 = chiSquare(observed)
    t.ok(chi2 < CHI2_CRIT, `${what}: uniform at p = 0.001 (counts ${observed.join('/')}, chi-square ${chi2.toFixed(3)} < ${CHI2_CRIT})`)
    for (const [n, c] of Object.entries(counts)) totals.set(n, (totals.get(n) ?? 0) + c)
  }
  const counters = await sepCounters(lab)
  for (const n of names) t.equal(counters.get(byIp.get(n)!), totals.get(n), `KUBE-SEP counter of ${n} equals the connections it answered`)

  // An established connection to pod3 survives pod3's endpoint being removed by a partial sync.
  const hold = nodeIn(t, lab.node.netns, HOLD_JS, [CLUSTER_IP, '80', 'pod3'])
  t.equal(await nextLine(hold.lines), 'connected pod3')
  const removed = syncWhere(proxier, (o) => !o.full && !o.payload.includes(`${lab.pods[2]!.ip}:${TARGET_PORT}`))
  const cur = await client.get<EndpointSlice>(res('endpointslices'), 'default', 'web-1')
  await client.update(res('endpointslices'), { ...cur, endpoints: cur.endpoints!.slice(0, 2) })
  const rm = await removed
  t.equal(rm.staleChains.length, 1, "pod3's KUBE-SEP chain deleted by the partial sync")
  const after = await connectMany(t, lab.node.netns, CLUSTER_IP, 80, 300)
  t.same(Object.keys(after).sort(), ['pod1', 'pod2'], 'new connections go to the remaining endpoints only')
  hold.child.stdin.write('ping\n')
  t.equal(await nextLine(hold.lines), 'pod3:ping', 'the established connection to pod3 still works (not reset)')

  // Adding it back: new connections reach pod3 again.
  const added = syncWhere(proxier, (o) => !o.full && o.payload.includes(`${lab.pods[2]!.ip}:${TARGET_PORT}`))
  const cur2 = await client.get<EndpointSlice>(res('endpointslices'), 'default', 'web-1')
  await client.update(res('endpointslices'), { ...cur2, endpoints: slice(lab.pods.map((p) => p.ip)).endpoints })
  await added
  const back = await connectMany(t, lab.node.netns, CLUSTER_IP, 80, 300)
  t.same(Object.keys(back).sort(), names, 'new connections reach all three endpoints again')
  hold.child.stdin.write('again\n')
  t.equal(await nextLine(hold.lines), 'pod3:again', 'the held connection survived both syncs')
  hold.child.stdin.end()

  // --cleanup: no KUBE- chain or jump left in the node namespace.
  await stopProxy()
  const cleaned = await iptables.cleanup()
  t.same(cleaned.errors, [], 'cleanup without errors')
  const saved = (await lab.runner.run('iptables-save', [], { netns: lab.node.netns })).stdout
  t.notMatch(saved, /KUBE-/, 'no KUBE- chain or rule left')
  const { leftover, rootIptablesChanged } = await lab.cleanup()
  t.same(leftover, [], 'namespaces deleted')
  t.equal(rootIptablesChanged, false, "the host's iptables untouched")
})
