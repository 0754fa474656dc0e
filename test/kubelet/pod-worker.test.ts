// One pod worker with real processes: env, command and args reach the process, a run-to-completion
// pod succeeds, and a failing liveness probe restarts the container with CrashLoopBackOff counting.
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import t from 'tap'
import { podStatePath } from '../../src/kubelet/pod-worker.js'
import { boundPod, get, PODS, ready, startControl, startKubelet, until, workerFor } from './harness.js'

t.test('env, command and args are honoured; a Never pod that exits 0 is Succeeded', async (t) => {
  const c = await startControl(t)
  const dir = t.testdir()
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: dir })
  const pod = boundPod('job', 'node-a', { image: 'busybox', command: ['sh', '-c', 'echo "$GREETING from $POD_NAME at $POD_IP: $1"', 'sh'], args: ['$(GREETING)!'], env: [{ name: 'GREETING', value: 'hello' }] }, { restartPolicy: 'Never' })
  await c.client.create(PODS, pod)
  const w = await workerFor(k, 'job')
  const logPath = w.logPath('main')!
  const done = await until(w, (p) => p.status?.phase === 'Succeeded')
  const ip = done.status!.podIP!
  t.equal(readFileSync(logPath, 'utf8'), `hello from job at ${ip}: hello!\n`)
  t.equal(done.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed')
  t.equal(done.status?.conditions?.find((x) => x.type === 'Ready')?.reason, 'PodCompleted')
  t.ok(podStatePath(dir, done.metadata.uid!).endsWith(`${done.metadata.uid}/state.json`))
})

t.test('a failing liveness probe restarts the container (restartCount, lastState message)', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  // ECHO_ERROR_RATE=1: every request is a 500, so the liveness probe always fails.
  await c.client.create(PODS, boundPod('sick', 'node-a', {
    ports: [{ containerPort: 8080 }],
    env: [{ name: 'ECHO_ERROR_RATE', value: '1' }],
    livenessProbe: { httpGet: { port: 8080, path: '/healthz' }, initialDelaySeconds: 1, periodSeconds: 1, failureThreshold: 1 },
  }))
  const w = await workerFor(k, 'sick')
  const p = await until(w, (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, { clock: c.clock, advanceMs: 1000 })
  const last = p.status!.containerStatuses![0]!.lastState?.terminated
  t.match(last?.message, 'Container main failed liveness probe, will be restarted')
  t.equal(last?.exitCode, 137)
})

t.test('a hostNetwork pod runs on the node address, without an address of its own', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  const probe = net.createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const port = (probe.address() as net.AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
  await c.client.create(PODS, boundPod('hostnet', 'node-a', { ports: [{ containerPort: port }], readinessProbe: { tcpSocket: { port }, periodSeconds: 1, failureThreshold: 1 } }, { hostNetwork: true }))
  const w = await workerFor(k, 'hostnet')
  const p = await until(w, (p) => ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  t.equal(p.status?.podIP, '127.0.0.1', 'the node IP')
  t.equal(k.network!.addressOf(p.metadata.uid!), undefined, 'no pod address allocated')
  const res = await get(`http://127.0.0.1:${port}/`)
  t.equal(JSON.parse(res.body).pod, 'hostnet')
})

t.test('a status rewritten by someone else is asserted again', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  await c.client.create(PODS, boundPod('web', 'node-a', {}))
  const w = await workerFor(k, 'web')
  const p = await until(w, (p) => ready(p) === 'True')
  // What the node lifecycle controller does to pods of an unreachable node.
  const conditions = p.status!.conditions!.map((x) => (x.type === 'Ready' ? { ...x, status: 'False' as const, reason: 'NodeNotReady' } : x))
  const rewritten = once(w, 'status')
  await c.client.patch(PODS, 'default', 'web', { status: { conditions } }, 'application/merge-patch+json', { subresource: 'status' })
  await rewritten
  const stored = await c.client.get<typeof p>(PODS, 'default', 'web')
  t.equal(ready(stored), 'True', 'the kubelet put its own view back')
})
