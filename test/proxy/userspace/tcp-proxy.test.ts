import net from 'node:net'
import t, { type Test } from 'tap'
import { PortRuntime } from '../../../src/proxy/userspace/port-runtime.js'
import { ProxyStats } from '../../../src/proxy/userspace/stats.js'
import { TcpProxy } from '../../../src/proxy/userspace/tcp-proxy.js'
import { createBalancer } from '../../../src/lb/registry.js'
import { realClock } from '../../../src/base/clock.js'
import { seededRng } from '../../../src/base/rng.js'
import { harness, service, slicesFor, tcpAsk, tcpBackend, tcpLoad, waitHits } from './fixtures.js'

const TOTAL = 240
const CONCURRENCY = 12
const SLOW_MS = 100

// The slow backend answers after SLOW_MS (a timer in the backend); the fast ones at once.
async function slowShare(tt: Test, algorithm: string): Promise<number> {
  const backends = [await tcpBackend(tt, 'a'), await tcpBackend(tt, 'b'), await tcpBackend(tt, 'slow', SLOW_MS)]
  const h = harness(tt, 'round-robin', `seed-${algorithm}`)
  await h.apply(service({ annotations: { 'kplab.io/lb-algorithm': algorithm } }), slicesFor('web', backends))
  const counts = await tcpLoad(h.port(), TOTAL, CONCURRENCY)
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  tt.equal(total, TOTAL, `${algorithm}: every connection answered`)
  return (counts.get('slow') ?? 0) / TOTAL
}

t.test('a slow backend gets clearly less from least-connection, p2c and least-time than from round-robin', async (t) => {
  const rr = await slowShare(t, 'round-robin')
  // Round-robin rotates per connection whatever the load: one third.
  t.ok(Math.abs(rr - 1 / 3) < 0.02, `round-robin slow share ${rr.toFixed(3)} ≈ 1/3`)
  for (const algo of ['least-connection', 'power-of-two-choices', 'least-time']) {
    const share = await slowShare(t, algo)
    t.ok(share < rr * 0.7, `${algo}: slow share ${share.toFixed(3)} < 0.7 × round-robin's ${rr.toFixed(3)}`)
  }
})

t.test('an endpoint removed during traffic drops no connection', async (t) => {
  const backends = [await tcpBackend(t, 'a', 20), await tcpBackend(t, 'b', 20), await tcpBackend(t, 'c', 20)]
  const h = harness(t)
  const slices = slicesFor('web', backends)
  await h.apply(service(), slices)
  const port = h.port()
  // Open connections to every backend, remove one endpoint while they are in flight, keep going.
  const inflight = Array.from({ length: 30 }, () => tcpAsk(port))
  await waitHits(backends, 30)
  await h.apply(undefined, [], [slices[2]!])
  const after = Array.from({ length: 30 }, () => tcpAsk(port))
  const answers = await Promise.all([...inflight, ...after])
  t.equal(answers.length, 60)
  t.ok(answers.every((a) => ['a', 'b', 'c'].includes(a)), 'every connection answered by a backend')
  t.ok(answers.slice(0, 30).includes('c'), 'the removed endpoint finished the connections it had')
  t.notOk(answers.slice(30).includes('c'), 'no new connection goes to the removed endpoint')
})

t.test('a connect failure retries once on another endpoint', async (t) => {
  const good = await tcpBackend(t, 'good')
  // A port nobody listens on: listen, note the port, close.
  const dead = net.createServer()
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()))
  const deadPort = (dead.address() as net.AddressInfo).port
  await new Promise<void>((r) => dead.close(() => r()))
  const stats = new ProxyStats()
  const rt = new PortRuntime(createBalancer('round-robin', {}, { clock: realClock, rng: seededRng(1) }), stats.port('default/web:p', 'tcp', 'round-robin'))
  rt.setEndpoints([{ id: `127.0.0.1:${deadPort}` }, { id: good.id }])
  const proxy = new TcpProxy({ runtime: rt, clock: realClock })
  const port = await proxy.listen()
  t.teardown(() => proxy.close(false))
  const answers = await Promise.all(Array.from({ length: 6 }, () => tcpAsk(port)))
  t.same(answers, Array(6).fill('good'))
  t.ok(stats.ports.get('default/web:p')!.endpoint(`127.0.0.1:${deadPort}`).errors >= 1, 'the failure is counted on the dead endpoint')
  t.equal(stats.ports.get('default/web:p')!.endpoint(good.id).connections, 6)
})

t.test('bytes flow both ways and are counted', async (t) => {
  const echo = net.createServer((s) => s.pipe(s))
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()))
  t.teardown(() => echo.close())
  const ePort = (echo.address() as net.AddressInfo).port
  const stats = new ProxyStats()
  const rt = new PortRuntime(createBalancer('rr', {}, { clock: realClock, rng: seededRng(1) }), stats.port('x/y:p', 'tcp', 'round-robin'))
  rt.setEndpoints([{ id: `127.0.0.1:${ePort}` }])
  const proxy = new TcpProxy({ runtime: rt, clock: realClock, bufferSize: 1024 })
  const port = await proxy.listen()
  t.teardown(() => proxy.close(false))
  const payload = Buffer.alloc(1 << 20, 7)
  const got = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    const s = net.connect(port, '127.0.0.1', () => s.end(payload))
    s.on('data', (c: Buffer) => chunks.push(c))
    s.on('end', () => resolve(Buffer.concat(chunks)))
    s.on('error', reject)
  })
  t.ok(got.equals(payload), '1 MiB echoed intact through a 1 KiB reused buffer')
  const ep = stats.ports.get('x/y:p')!.endpoint(`127.0.0.1:${ePort}`)
  await new Promise<void>((r) => (ep.active === 0 ? r() : setImmediate(() => r())))
  t.equal(ep.bytesIn, payload.length)
  t.equal(ep.bytesOut, payload.length)
})
