// The kubelet end to end, without root: the real API server, a real kubelet in loopback mode, real
// processes. Waits are on kubelet events (status writes, probe results); time moves on a FakeClock.
import dgram from 'node:dgram'
import { once } from 'node:events'
import { existsSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { StatusError } from '../../src/api/errors.js'
import { RESOURCES } from '../../src/api/registry.js'
import type { Lease, Node } from '../../src/api/types.js'
import { BUILTIN_IMAGES } from '../../src/kubelet/runtime/images.js'
import { boundPod, get, PODS, ready, running, startControl, startKubelet, TCP_READY, until, workerFor } from './harness.js'

const NODES = RESOURCES.find((r) => r.plural === 'nodes')!
const LEASES = RESOURCES.find((r) => r.plural === 'leases')!

t.test('registers its Node with addresses, capacity, pod CIDR, kubelet port and a Lease', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  const node = await c.client.get<Node>(NODES, undefined, 'node-a')
  t.same(node.status?.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-a' }])
  t.equal(node.status?.daemonEndpoints?.kubeletEndpoint?.Port, k.port)
  t.equal(node.spec?.podCIDR, '10.244.7.0/24')
  t.same(node.status?.capacity, { cpu: '4', memory: '8Gi', pods: '110' })
  t.equal(node.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True')
  const lease = await c.client.get<Lease>(LEASES, 'kube-node-lease', 'node-a')
  t.equal(lease.spec?.holderIdentity, 'node-a')
  t.equal(lease.spec?.leaseDurationSeconds, 40)
  t.same(lease.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['Node', 'node-a', node.metadata.uid]], 'owned by its Node')
  // The lease is renewed every quarter of its duration on the clock.
  const renewed = once(k.nodeStatus!, 'lease')
  c.clock.advance(10_000)
  const [l2] = (await renewed) as [Lease]
  t.not(l2.spec?.renewTime, lease.spec?.renewTime, 'renewTime moved with the clock')
})

t.test('a bound kplab/echo pod becomes Running and Ready and answers on its pod IP with its name', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  await c.client.create(PODS, boundPod('web', 'node-a', { ports: [{ containerPort: 8080 }], readinessProbe: TCP_READY }))
  const w = await workerFor(k, 'web')
  const pod = await until(w, (p) => ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  t.equal(pod.status?.phase, 'Running')
  t.match(pod.status?.podIP, /^127\.244\.7\.\d+$/, 'a loopback address mapped from the pod CIDR')
  t.equal(pod.status?.hostIP, '127.0.0.1')
  t.same(pod.status?.conditions?.map((x) => [x.type, x.status]).sort(), [['ContainersReady', 'True'], ['Initialized', 'True'], ['PodScheduled', 'True'], ['Ready', 'True']])
  const res = await get(`http://${pod.status!.podIP}:8080/hello`)
  t.equal(res.status, 200)
  const body = JSON.parse(res.body)
  t.equal(body.pod, 'web')
  t.equal(body.podIP, pod.status!.podIP)
  t.equal(body.node, 'node-a')
  t.equal(body.requests, 1)
  const stored = await c.client.get(PODS, 'default', 'web')
  t.equal((stored.status as { phase?: string }).phase, 'Running', 'status written through the API')
})

t.test('a killed container process is restarted (restartCount 1)', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  await c.client.create(PODS, boundPod('web', 'node-a', { ports: [{ containerPort: 8080 }] }))
  const w = await workerFor(k, 'web')
  await until(w, (p) => !!p.status?.containerStatuses?.[0]?.state?.running)
  const pid = w.pids().main!
  process.kill(pid, 'SIGKILL')
  const pod = await until(w, (p) => p.status?.containerStatuses?.[0]?.restartCount === 1 && !!p.status.containerStatuses[0].state?.running)
  const cs = pod.status!.containerStatuses![0]!
  t.equal(cs.lastState?.terminated?.exitCode, 137, 'killed by SIGKILL: 128 + 9')
  t.equal(cs.lastState?.terminated?.reason, 'Error')
  t.not(w.pids().main, pid, 'a new process')
  t.ok(running(w.pids().main!))
})

t.test('a failing readiness probe turns Ready false, and recovery turns it back', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  const flag = join(t.testdir(), 'ready')
  writeFileSync(flag, '')
  const probe = { exec: { command: ['test', '-f', flag] }, periodSeconds: 1, failureThreshold: 1 }
  await c.client.create(PODS, boundPod('web', 'node-a', { ports: [{ containerPort: 8080 }], readinessProbe: probe }))
  const w = await workerFor(k, 'web')
  await until(w, (p) => ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  rmSync(flag)
  const down = await until(w, (p) => ready(p) === 'False', { clock: c.clock, advanceMs: 1000 })
  t.equal(down.status?.conditions?.find((x) => x.type === 'Ready')?.reason, 'ContainersNotReady')
  t.equal(down.status?.conditions?.find((x) => x.type === 'Ready')?.message, 'containers with unready status: [main]')
  t.equal(down.status?.phase, 'Running', 'still running, just not ready')
  writeFileSync(flag, '')
  await until(w, (p) => ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  t.pass('ready again')
})

t.test('an unknown image waits with ErrImagePull and a message listing the images', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  await c.client.create(PODS, boundPod('bad', 'node-a', { image: 'nginx:1.27' }))
  const w = await workerFor(k, 'bad')
  const pod = await until(w, (p) => !!p.status?.containerStatuses?.[0]?.state?.waiting)
  const waiting = pod.status!.containerStatuses![0]!.state!.waiting!
  t.equal(waiting.reason, 'ErrImagePull')
  for (const image of Object.keys(BUILTIN_IMAGES)) t.match(waiting.message, image)
  t.equal(pod.status?.phase, 'Pending')
  t.same(w.pids(), {}, 'nothing spawned')
})

t.test('delete: SIGTERM, the process exits on its own, the pod is gone and its address released', async (t) => {
  const c = await startControl(t)
  const dir = t.testdir()
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: dir })
  await c.client.create(PODS, boundPod('web', 'node-a', { ports: [{ containerPort: 8080 }], readinessProbe: TCP_READY }))
  const w = await workerFor(k, 'web')
  const pod = await until(w, (p) => ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  const pid = w.pids().main!
  const terminated = once(w, 'terminated')
  const exited = once(w, 'exited')
  await c.client.delete(PODS, 'default', 'web')
  const [, exit] = (await exited) as [string, { code: number | null; signal: string | null }]
  // kplab/echo exits 0 on SIGTERM; a SIGKILL after the grace period would show as signal SIGKILL.
  t.same(exit, { code: 0, signal: null }, 'stopped by SIGTERM within the grace period')
  await terminated
  t.notOk(running(pid), 'the container process is gone')
  const err = await c.client.get(PODS, 'default', 'web').then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof StatusError && err.code === 404, 'the pod is gone from the API')
  t.equal(k.network!.addressOf(pod.metadata.uid!), undefined, 'IPAM released')
  t.notOk(existsSync(join(dir, 'pods', pod.metadata.uid!)), 'pod state removed')
})

t.test('a restarted kubelet adopts its running pod: same PID, no duplicate', async (t) => {
  const c = await startControl(t)
  const dir = t.testdir()
  const k1 = await startKubelet(t, c, { name: 'node-a', rootDir: dir, kill: false })
  await c.client.create(PODS, boundPod('web', 'node-a', { ports: [{ containerPort: 8080 }], readinessProbe: TCP_READY }))
  const w1 = await workerFor(k1, 'web')
  const before = await until(w1, (p) => ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  const pid = w1.pids().main!
  await k1.stop()
  t.ok(running(pid), 'pods outlive their kubelet')
  const k2 = await startKubelet(t, c, { name: 'node-a', rootDir: dir })
  const w2 = await workerFor(k2, 'web')
  let spawned = 0
  w2.on('started', (_c: string, p: number) => {
    if (p !== pid) spawned++
  })
  const after = await until(w2, (p) => w2.pids().main !== undefined && ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  t.equal(w2.pids().main, pid, 'same PID')
  t.equal(spawned, 0, 'no second process')
  t.equal(after.status?.podIP, before.status?.podIP, 'same pod IP')
  t.equal(after.status?.containerStatuses?.[0]?.restartCount, 0)
  const res = await get(`http://${after.status!.podIP}:8080/`)
  t.equal(JSON.parse(res.body).pod, 'web')
})

t.test('kplab/tcp-echo and kplab/udp-echo answer on their pod IPs with who they are', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  await c.client.create(PODS, boundPod('tcp', 'node-a', { image: 'kplab/tcp-echo', ports: [{ containerPort: 9000 }], readinessProbe: { tcpSocket: { port: 9000 }, periodSeconds: 1, failureThreshold: 1 } }))
  // The UDP pod logs "listening" once bound: its log (followed through the kubelet endpoint) says when.
  await c.client.create(PODS, boundPod('udp', 'node-a', { image: 'kplab/udp-echo', ports: [{ containerPort: 9000, protocol: 'UDP' }] }))
  const tw = await workerFor(k, 'tcp')
  const tp = await until(tw, (p) => ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  const sock = net.connect(9000, tp.status!.podIP!)
  sock.setEncoding('utf8')
  const [greeting] = (await once(sock, 'data')) as [string]
  t.equal(greeting, `tcp ${tp.status!.podIP} node-a\n`)
  sock.write('ping\n')
  const [echo] = (await once(sock, 'data')) as [string]
  t.equal(echo, 'ping\n')
  sock.destroy()

  const uw = await workerFor(k, 'udp')
  const up = await until(uw, (p) => !!p.status?.containerStatuses?.[0]?.state?.running)
  const logPath = uw.logPath('main')!
  const watcher = watch(logPath)
  t.teardown(() => watcher.close())
  while (!readFileSync(logPath, 'utf8').includes('listening')) await once(watcher, 'change')
  const client = dgram.createSocket('udp4')
  t.teardown(() => client.close())
  client.send('hi', 9000, up.status!.podIP!)
  const [msg] = (await once(client, 'message')) as [Buffer]
  t.equal(msg.toString(), `udp ${up.status!.podIP} node-a: hi`)
})
