import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { ProbeWorker, resolvePort, runProbe, type ProbeResult } from '../../src/kubelet/probes.js'

t.test('resolvePort: numbers and named container ports', async (t) => {
  t.equal(resolvePort(80), 80)
  t.equal(resolvePort('8080'), 8080)
  t.equal(resolvePort('http', [{ name: 'http', containerPort: 9000 }]), 9000)
  t.equal(resolvePort('nope', []), undefined)
})

t.test('runProbe: httpGet (2xx/3xx pass), tcpSocket, exec', async (t) => {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/bad' ? 503 : 200)
    res.end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  const port = (server.address() as AddressInfo).port
  const target = { podIP: '127.0.0.1', ports: [{ name: 'web', containerPort: port }] }
  t.same(await runProbe({ httpGet: { port: 'web', path: '/ok' } }, target, process.execPath), { ok: true })
  t.same(await runProbe({ httpGet: { port, path: '/bad' } }, target, process.execPath), { ok: false, message: 'HTTP probe failed with statuscode: 503' })
  t.same(await runProbe({ tcpSocket: { port } }, target, process.execPath), { ok: true })
  server.close()
  await once(server, 'close')
  const refused = await runProbe({ tcpSocket: { port } }, target, process.execPath)
  t.equal(refused.ok, false)
  t.match(refused.message, `dial tcp 127.0.0.1:${port}`)
  t.same(await runProbe({ exec: { command: ['true'] } }, target, process.execPath), { ok: true })
  const failed = await runProbe({ exec: { command: ['sh', '-c', 'echo nope; exit 2'] } }, { ...target, env: { PATH: '/usr/bin:/bin' } }, process.execPath)
  t.same(failed, { ok: false, message: 'command "sh -c echo nope; exit 2" exited with 2: nope' })
  t.match((await runProbe({}, target, process.execPath)).message, 'probe has no handler')
})

t.test('ProbeWorker: readiness starts false, thresholds decide, periods run on the clock', async (t) => {
  const clock = new FakeClock()
  const results: boolean[] = [false, true, false, false]
  const w = new ProbeWorker({
    kind: 'readiness',
    probe: { exec: { command: ['x'] }, periodSeconds: 5, failureThreshold: 2, successThreshold: 1 },
    target: () => ({ podIP: '' }),
    clock,
    execPath: process.execPath,
    run: async () => ({ ok: results.shift() ?? true }),
  })
  const changes: boolean[] = []
  w.on('change', (h: boolean) => changes.push(h))
  const next = () => once(w, 'result') as Promise<[ProbeResult]>
  let r = next()
  w.start()
  await r
  t.equal(w.healthy, false, 'not ready before a success')
  r = next()
  clock.advance(5_000)
  await r
  t.equal(w.healthy, true)
  r = next()
  clock.advance(5_000)
  await r
  t.equal(w.healthy, true, 'one failure is under the threshold')
  r = next()
  clock.advance(5_000)
  await r
  t.equal(w.healthy, false)
  t.same(changes, [true, false])
  w.stop()
  clock.advance(60_000)
  t.equal(clock.pendingCount, 0, 'stopped: no timer left')
})

t.test('ProbeWorker: a liveness failure past the threshold emits change(false) once, then counts anew', async (t) => {
  const clock = new FakeClock()
  const w = new ProbeWorker({ kind: 'liveness', probe: { exec: { command: ['x'] }, initialDelaySeconds: 3, periodSeconds: 1, failureThreshold: 1 }, target: () => ({ podIP: '' }), clock, execPath: '', run: async () => ({ ok: false, message: 'dead' }) })
  const change = once(w, 'change')
  w.start()
  clock.advance(2_999)
  t.equal(w.listenerCount('change'), 1)
  clock.advance(1)
  const [healthy, result] = (await change) as [boolean, ProbeResult]
  t.equal(healthy, false)
  t.equal(result.message, 'dead')
  t.equal(w.healthy, true, 'reset for the restarted container')
  w.stop()
})
