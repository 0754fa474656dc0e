// The netns lab end to end, as root: `kplab up` (detached) → the real kubectl applies a Deployment
// and a ClusterIP Service → every pod answers on its pod IP from the other node → traffic through
// the ClusterIP from the client machine reaches the three pods evenly (chi-square) → a SIGKILLed
// proxy is restarted and traffic still flows → `kplab down` leaves no namespace, process or file,
// and the host's root network namespace is unchanged. Plus: SIGKILL of `kplab up` mid-way, then
// `kplab down` still removes everything. And the pure part: the lab's topology plan.
import t from 'tap'
import { execFile, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { realClock } from '../../src/base/clock.js'
import { resourceFor } from '../../src/api/registry.js'
import type { KubeObject } from '../../src/api/meta.js'
import { loadKubeconfig } from '../../src/client/kubeconfig.js'
import { RestClient } from '../../src/client/rest-client.js'
import { SpawnRunner } from '../../src/netns/exec.js'
import { listNamespaces } from '../../src/netns/namespace.js'
import { planTopology } from '../../src/netns/topology.js'
import { stepLine } from '../../src/netns/step.js'
import { downLab, openLab } from '../../src/lab/lab.js'
import { isSameProcess, readLabState, type LabState } from '../../src/lab/lab-state.js'
import { labTopology, socketDir } from '../../src/lab/netns-cluster.js'
import { parseLabSettings } from '../../src/lab/settings.js'
import { hasCommand, isRoot, requireCapability } from '../support/env.js'
import { rootIptablesSnapshot } from '../support/netns.js'
import { spawnCli } from '../support/run-cli.js'
import { LAB_SETTINGS_YAML } from '../support/lab-settings.js'

// A lab comes up in tens of seconds on a busy 2-core machine: the file needs more than tap's 120 s.
t.setTimeout(900_000)


t.test('labTopology: a bridge namespace, one veth per machine, pod routes via nodes, service routes', async (t) => {
  const lines = planTopology(labTopology('x', parseLabSettings(LAB_SETTINGS_YAML, 'test'), 2)).map(stepLine)
  t.ok(lines.includes('ip netns add kplab-x-net'), 'the bridge has its own namespace')
  t.ok(lines.includes('ip -n kplab-x-net link add br0 type bridge'))
  t.ok(lines.includes('ip -n kplab-x-master link add eth0 type veth peer name v-master netns kplab-x-net'))
  t.ok(lines.includes('ip -n kplab-x-node2 addr add 192.168.56.12/24 dev eth0'))
  t.ok(lines.includes('ip -n kplab-x-node2 link add cbr0 type bridge'), "each node's pod bridge exists before its kubelet")
  t.ok(lines.includes('ip -n kplab-x-node2 addr add 10.244.2.1/24 dev cbr0'), 'with the pod gateway address')
  t.ok(lines.includes('ip -n kplab-x-client addr add 192.168.56.100/24 dev eth0'))
  t.ok(lines.includes('ip netns exec kplab-x-node1 sysctl -w net.ipv4.ip_forward=1'), 'nodes forward')
  t.notOk(lines.includes('ip netns exec kplab-x-master sysctl -w net.ipv4.ip_forward=1'), 'the master does not')
  t.ok(lines.includes('ip -n kplab-x-node1 route add 10.244.2.0/24 via 192.168.56.12'), "node1 reaches node2's pods via node2")
  t.ok(lines.includes('ip -n kplab-x-master route add 10.244.1.0/24 via 192.168.56.11'))
  t.notOk(lines.some((l) => l.startsWith('ip -n kplab-x-node1 route add 10.244.1.0/24')), "a node's own pod CIDR is on its kubelet's bridge")
  t.ok(lines.includes('ip -n kplab-x-node2 route add 10.96.0.0/12 dev eth0'), 'nodes route the service CIDR so OUTPUT DNAT can happen')
  t.ok(lines.includes('ip -n kplab-x-client route add 10.96.0.0/12 via 192.168.56.11'), 'the client sends Service traffic to node1')
  t.notOk(lines.some((l) => / netns (add|delete) (?!kplab-x-)/.test(l)), 'every namespace is under the prefix')
})

t.test('socketDir: in the state directory unless sun_path would overflow', async (t) => {
  t.equal(socketDir('/root/.kplab/lab', 'lab'), '/root/.kplab/lab/s')
  t.equal(socketDir(`/${'d'.repeat(120)}/lab`, 'lab'), join(tmpdir(), 'kplab-lab-s'))
})

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
spec:
  replicas: 3
  selector:
    matchLabels: { app: echo }
  template:
    metadata:
      labels: { app: echo }
    spec:
      containers:
      - name: echo
        image: kplab/echo
        ports:
        - containerPort: 8080
        # Ready only once it answers: without it an endpoint can be listed before its port is bound.
        readinessProbe:
          httpGet: { path: /healthz, port: 8080 }
          periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: echo
spec:
  selector: { app: echo }
  ports:
  - port: 80
    targetPort: 8080
`

/** Root-namespace network state the lab must never change. */
function rootSnapshot(): string {
  const run = (args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' })
  // Link counters and the order of transient lines do not matter; names, addresses and routes do.
  const links = run(['-o', 'link']).split('\n').map((l) => l.replace(/^\d+: /, '').split(' ')[0]).sort().join('\n')
  return [links, run(['-o', 'addr']), run(['route']), rootIptablesSnapshot()].join('\n---\n')
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnCli(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  return once(child, 'close').then(([code]) => ({ code: code as number, stdout, stderr }))
}

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

/** Resolves once the state file satisfies pred (fs.watch on the lab directory: no polling sleeps). */
async function stateWhere(stateDir: string, pred: (s: LabState) => boolean, timeoutMs: number): Promise<LabState> {
  const check = (): LabState | undefined => {
    try {
      const s = readLabState(stateDir)
      return s && pred(s) ? s : undefined
    } catch {
      return undefined // caught mid-rename
    }
  }
  const now = check()
  if (now) return now
  const ac = new AbortController()
  const timer = realClock.setTimeout(() => ac.abort(), timeoutMs)
  try {
    return await new Promise<LabState>((resolve, reject) => {
      const w = watch(stateDir, { signal: ac.signal }, () => {
        const s = check()
        if (s) {
          w.close()
          resolve(s)
        }
      })
      w.on('error', (e) => reject(ac.signal.aborted ? new Error(`state of ${stateDir} did not reach the condition within ${timeoutMs} ms`) : e))
    })
  } finally {
    realClock.clearTimeout(timer)
  }
}

/** Waits (list + watch) until the Service has `want` ready endpoints; returns them. */
async function readyEndpoints(kubeconfig: string, service: string, want: number): Promise<{ ip: string; node: string; pod: string }[]> {
  const SLICES = resourceFor('discovery.k8s.io', 'v1', 'endpointslices')!
  const client = new RestClient(loadKubeconfig({ explicitPath: kubeconfig }))
  const ac = new AbortController()
  const timer = realClock.setTimeout(() => ac.abort(), 60_000)
  const slices = new Map<string, KubeObject>()
  type Ep = { addresses: string[]; conditions?: { ready?: boolean }; nodeName?: string; targetRef?: { name?: string } }
  const ready = (): { ip: string; node: string; pod: string }[] =>
    [...slices.values()].flatMap((s) => ((s as unknown as { endpoints?: Ep[] }).endpoints ?? []).filter((e) => e.conditions?.ready).map((e) => ({ ip: e.addresses[0]!, node: e.nodeName ?? '', pod: e.targetRef?.name ?? '' })))
  try {
    const selector = `kubernetes.io/service-name=${service}`
    const list = await client.list(SLICES, { namespace: 'default', labelSelector: selector, signal: ac.signal })
    for (const s of list.items) slices.set(s.metadata.name!, s)
    if (ready().length >= want) return ready()
    for await (const ev of client.watch(SLICES, { namespace: 'default', labelSelector: selector, resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) {
      if (ev.type === 'DELETED') slices.delete(ev.object.metadata.name!)
      else slices.set(ev.object.metadata.name!, ev.object)
      if (ready().length >= want) return ready()
    }
    throw new Error('EndpointSlice watch ended')
  } finally {
    realClock.clearTimeout(timer)
    ac.abort()
    client.close()
  }
}

/** curl argv: n requests, each on a new connection (Connection: close), one JSON answer per line. */
function curlArgs(url: string, n: number): string[] {
  return ['curl', '-sS', '--max-time', '5', '-H', 'Connection: close', '-w', '\\n', ...Array.from({ length: n }, () => url)]
}

t.test('netns lab: up, kubectl apply, cross-node pods, ClusterIP balance, restart, down', { timeout: 600_000 }, async (t) => {
  const caps = isRoot() && hasCommand('ip') && hasCommand('iptables') && hasCommand('nsenter') && hasCommand('kubectl') && hasCommand('curl') && hasCommand('openssl')
  if (!requireCapability(t, caps, 'needs root, ip, iptables, nsenter, kubectl, curl and openssl')) return
  const before = rootSnapshot()
  // Not t.testdir(): unix sockets of the lab live under the state directory and sun_path has 108 bytes.
  const root = mkdtempSync(join(tmpdir(), 'kplab-'))
  const name = `t${randomBytes(3).toString('hex')}`
  const stateDir = join(root, name)
  const home = join(root, 'home')
  mkdirSync(home)
  const env = { KPLAB_HOME: root }
  t.teardown(async () => {
    await downLab(name, root, { clock: realClock }).catch(() => {})
    rmSync(root, { recursive: true, force: true })
  })

  const t0 = performance.now()
  const up = await runCli(['up', '--name', name, '--nodes', '2'], env)
  const upMs = performance.now() - t0
  t.equal(up.code, 0, `kplab up succeeded${up.code === 0 ? '' : `: ${up.stdout}${up.stderr}`}`)
  if (up.code !== 0) return
  t.comment(`kplab up (netns, 2 nodes, iptables) took ${(upMs / 1000).toFixed(1)} s`)
  t.match(up.stdout, /netns mode/, 'up says which mode and why')
  t.match(up.stdout, new RegExp(`export KUBECONFIG=\\$\\(kplab kubeconfig --name ${name}\\)`))
  const lab = await openLab(name, root, { clock: realClock })
  t.same(lab.nodes, ['node1', 'node2'])
  const kc = await runCli(['kubeconfig', '--name', name], env)
  t.equal(kc.stdout.trim(), lab.kubeconfig, 'kplab kubeconfig prints the path')
  t.match(lab.apiServerURL, /^https:\/\/127\.0\.0\.1:\d+$/, 'the host reaches the API server on loopback')

  const kenv = { ...process.env, HOME: home, KUBECONFIG: lab.kubeconfig }
  const nodes = await sh('kubectl', ['get', 'nodes', '--no-headers'], kenv)
  t.match(nodes.stdout, /node1\s+Ready/, 'kubectl on the host sees node1 Ready')
  t.match(nodes.stdout, /node2\s+Ready/)

  writeFileSync(join(root, 'app.yaml'), MANIFEST)
  const t1 = performance.now()
  const applied = await sh('kubectl', ['apply', '-f', join(root, 'app.yaml')], kenv)
  t.equal(applied.code, 0, `kubectl apply: ${applied.stdout}${applied.stderr}`)
  const eps = await readyEndpoints(lab.kubeconfig, 'echo', 3)
  const endpointsMs = performance.now() - t1
  t.equal(eps.length, 3, '3 ready endpoints')
  const clusterAddr = await lab.serviceAddress('default', 'echo', 80)
  t.match(clusterAddr, /^10\.(9[6-9]|1[01]\d)\.\d+\.\d+:80$/, 'a ClusterIP from the service CIDR')
  // Convergence: apply → first answer through the ClusterIP (the proxies sync after the endpoints).
  let first = { code: 1, stdout: '', stderr: '' }
  for (let i = 0; i < 100 && first.code !== 0; i++) first = await lab.exec('client', curlArgs(`http://${clusterAddr}/`, 1))
  const convergeMs = performance.now() - t1
  t.equal(first.code, 0, `traffic flows through the ClusterIP: ${first.stderr}`)
  t.comment(`convergence: kubectl apply → 3 ready endpoints ${(endpointsMs / 1000).toFixed(1)} s → first answer through the ClusterIP ${(convergeMs / 1000).toFixed(1)} s`)

  // Issue 6's root test at lab scale: every pod answers on its pod IP from the other node.
  for (const ep of eps) {
    const from = ep.node === 'node1' ? 'node2' : 'node1'
    const r = await lab.exec(from, curlArgs(`http://${ep.ip}:8080/`, 1))
    t.equal(r.code, 0, `${ep.pod} (${ep.ip} on ${ep.node}) answers from ${from}`)
    t.match(r.stdout, new RegExp(`"pod":"${ep.pod}"`))
  }
  t.ok(new Set(eps.map((e) => e.node)).size === 2, 'the scheduler spread the pods over both nodes')

  // Balance: 300 new connections from the client machine; iptables picks an endpoint per connection.
  const N = 300
  const r = await lab.exec('client', curlArgs(`http://${clusterAddr}/`, N), { timeoutMs: 120_000 })
  t.equal(r.code, 0, `${N} requests through the ClusterIP: ${r.stderr}`)
  const counts = new Map<string, number>()
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const pod = (JSON.parse(line) as { pod: string }).pod
    counts.set(pod, (counts.get(pod) ?? 0) + 1)
  }
  t.same([...counts.keys()].sort(), eps.map((e) => e.pod).sort(), 'every pod answered')
  const expected = N / 3
  const chi2 = [...counts.values()].reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0)
  t.comment(`per-pod counts ${JSON.stringify(Object.fromEntries(counts))}; chi-square ${chi2.toFixed(2)} (df 2)`)
  t.ok(chi2 < 13.816, `uniform at p=0.001 (chi-square ${chi2.toFixed(2)} < 13.816)`)

  // What node1's kube-proxy wrote, read live (kplab rules --node), and a packet traced through it.
  const live = await runCli(['rules', '--node', 'node1', '--name', name], env)
  t.equal(live.code, 0, `kplab rules --node: ${live.stderr}`)
  const vip = clusterAddr.split(':')[0]!
  t.match(live.stdout, new RegExp(`-A KUBE-SERVICES .*-d ${vip.replace(/\./g, '\\.')}/32 .*-j KUBE-SVC-`), 'the live rules capture the ClusterIP')
  t.equal((live.stdout.match(/^-A KUBE-SVC-\S+ .* -j KUBE-SEP-/gm) ?? []).filter((l) => l.includes('default/echo')).length, 3, 'one cascade rule per endpoint')
  const traced = await runCli(['trace', '--node', 'node1', '--name', name, '--src', '192.168.56.100', '--dst', vip, '--dport', '80'], env)
  t.equal(traced.code, 0, `kplab trace --node: ${traced.stderr}`)
  for (const ep of eps) t.match(traced.stdout, `${ep.ip}:8080`, `the trace reaches ${ep.pod}`)
  t.match(traced.stdout, /1\/3 \(33\.3333%\)/, 'each endpoint with probability 1/3')

  // A killed component comes back: SIGKILL node1's proxy, the supervisor starts it again.
  const state = readLabState(stateDir)!
  const proxy = state.processes.find((p) => p.name === 'proxy node1')!
  t.ok(isSameProcess(proxy), "node1's proxy is running")
  process.kill(proxy.pid, 'SIGKILL')
  const after = await stateWhere(stateDir, (s) => (s.processes.find((p) => p.name === 'proxy node1')?.restarts ?? 0) >= 1, 30_000)
  const restarted = after.processes.find((p) => p.name === 'proxy node1')!
  t.not(restarted.pid, proxy.pid, 'the supervisor restarted the proxy with a new pid')
  t.ok(isSameProcess(restarted), 'the new proxy runs')
  const status = await runCli(['status', '--name', name], env)
  t.match(status.stdout, /proxy node1\s+node1\s+\d+\s+up\s+1/, 'kplab status shows the restart')
  const again = await lab.exec('client', curlArgs(`http://${clusterAddr}/`, 30))
  t.equal(again.code, 0, 'traffic still flows after the restart')
  t.equal(again.stdout.split('\n').filter(Boolean).length, 30)
  const ex = await runCli(['exec', '--name', name, 'node2', '--', 'ip', '-o', 'addr', 'show', 'eth0'], env)
  t.match(ex.stdout, /192\.168\.56\.12\/24/, 'kplab exec runs inside the machine')

  const pids = readLabState(stateDir)!.processes
  const down = await runCli(['down', '--name', name], env)
  t.equal(down.code, 0, `kplab down: ${down.stderr}`)
  t.same(await listNamespaces(new SpawnRunner(), `kplab-${name}-`), [], 'no namespace left')
  t.same(pids.filter(isSameProcess).map((p) => p.name), [], 'no process left')
  t.notOk(existsSync(stateDir), 'no state directory left')
  t.equal(rootSnapshot(), before, 'root namespace links, addresses, routes and iptables unchanged')
  const gone = await runCli(['kubeconfig', '--name', name], env)
  t.not(gone.code, 0)
  t.match(gone.stderr, new RegExp(`lab "${name}" is not running: run kplab up --name ${name}`), 'a stopped lab says how to start it')
})

t.test('netns lab: SIGKILL of kplab up, then kplab down still removes everything', { timeout: 300_000 }, async (t) => {
  const caps = isRoot() && hasCommand('ip') && hasCommand('iptables') && hasCommand('nsenter') && hasCommand('openssl')
  if (!requireCapability(t, caps, 'needs root, ip, iptables, nsenter and openssl')) return
  const before = rootSnapshot()
  const root = mkdtempSync(join(tmpdir(), 'kplab-'))
  const name = `t${randomBytes(3).toString('hex')}`
  const stateDir = join(root, name)
  t.teardown(async () => {
    await downLab(name, root, { clock: realClock }).catch(() => {})
    rmSync(root, { recursive: true, force: true })
  })
  const up = spawnCli(['up', '--name', name, '--nodes', '1', '--foreground'], { KPLAB_HOME: root })
  t.teardown(() => void up.kill('SIGKILL'))
  mkdirSync(stateDir, { recursive: true })
  // Crash it once the kubelet runs: namespaces, several components and forwarders exist by then.
  const s = await stateWhere(stateDir, (st) => st.processes.some((p) => p.name === 'kubelet node1'), 180_000)
  up.kill('SIGKILL')
  await once(up, 'exit')
  const orphans = s.processes
  t.ok(orphans.some(isSameProcess), 'components outlive the killed kplab up')
  const down = await runCli(['down', '--name', name], { KPLAB_HOME: root })
  t.equal(down.code, 0, `kplab down: ${down.stderr}`)
  t.same(await listNamespaces(new SpawnRunner(), `kplab-${name}-`), [], 'no namespace left')
  t.same(orphans.filter(isSameProcess).map((p) => p.name), [], 'no process left')
  t.notOk(existsSync(stateDir), 'no state directory left')
  t.equal(rootSnapshot(), before, 'root namespace unchanged')
})
