// The load generator against local echo-like servers: per-pod counts, keep-alive socket reuse,
// errors, and the open loop's Poisson arrivals driven by a fake clock and a seeded RNG.
import t, { type Test } from 'tap'
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { FakeClock, realClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { UsageError } from '../../src/base/errors.js'
import { formatPodSummary, formatResponseLine, runLoad, type ResponseRecord } from '../../src/lab/loadgen.js'

interface Echo {
  url: string
  server: Server
  /** Answers per pod name, as the server counted them. */
  answered: Map<string, number>
  /** TCP connections accepted. */
  connections: number
}

/** A server that answers like kplab/echo, rotating over `pods` names; every `failEvery`-th answer is a 500. */
async function echo(t: Test, pods: string[], failEvery = 0): Promise<Echo> {
  const e: Echo = { url: '', server: undefined as unknown as Server, answered: new Map(), connections: 0 }
  let n = 0
  e.server = createServer((req, res) => {
    const pod = pods[n % pods.length]!
    n++
    e.answered.set(pod, (e.answered.get(pod) ?? 0) + 1)
    const fail = failEvery > 0 && n % failEvery === 0
    res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ pod, node: 'node-1', podIP: '127.0.0.1' }) + '\n')
  })
  e.server.on('connection', () => e.connections++)
  e.server.listen(0, '127.0.0.1')
  await once(e.server, 'listening')
  e.url = `http://127.0.0.1:${(e.server.address() as AddressInfo).port}/`
  t.teardown(() => {
    e.server.closeAllConnections()
    e.server.close()
  })
  return e
}


t.test('closed loop: counts per pod match what the servers answered', async (t) => {
  const e = await echo(t, ['echo-a', 'echo-b', 'echo-c'])
  const seen: ResponseRecord[] = []
  const res = await runLoad({ url: e.url, requests: 31, concurrency: 3, clock: realClock, rng: seededRng(1), onResponse: (r) => seen.push(r) })
  t.equal(res.issued, 31)
  t.equal(res.succeeded, 31)
  t.equal(res.errors, 0)
  t.same(Object.keys(res.pods), ['echo-a', 'echo-b', 'echo-c'], 'pods sorted by name')
  for (const [pod, n] of e.answered) t.equal(res.pods[pod]!.count, n, `${pod}: ${n} answers`)
  t.equal(Object.values(res.pods).reduce((s, p) => s + p.share, 0).toFixed(6), '1.000000', 'shares add up to 1')
  t.equal(seen.length, 31, 'onResponse once per request')
  t.same(new Set(seen.map((r) => r.seq)).size, 31, 'distinct sequence numbers')
  t.ok(res.latency.p50 > 0 && res.latency.p99 >= res.latency.p50, 'latency percentiles ordered')
  t.match(formatResponseLine(seen[0]!), /echo-[abc] \(node-1\)\s+200\s+[\d.]+ ms/)
  t.match(formatPodSummary(res), /^echo-a\s+node-1\s+\d+\s+[\d.]+%/m)
})

t.test('keep-alive reuses connections; without it every request opens one', async (t) => {
  const on = await echo(t, ['p'])
  const r1 = await runLoad({ url: on.url, requests: 20, concurrency: 2, keepAlive: true, clock: realClock, rng: seededRng(1) })
  t.equal(r1.connections, on.connections, 'client and server count the same connections')
  t.ok(on.connections <= 2, `at most one connection per worker (got ${on.connections})`)
  const off = await echo(t, ['p'])
  const r2 = await runLoad({ url: off.url, requests: 20, concurrency: 2, keepAlive: false, clock: realClock, rng: seededRng(1) })
  t.equal(off.connections, 20, 'one connection per request')
  t.equal(r2.connections, 20)
  t.equal(r2.keepAlive, false)
})

t.test('5xx answers and refused connections are errors, by kind', async (t) => {
  const e = await echo(t, ['a', 'b'], 4)
  const res = await runLoad({ url: e.url, requests: 12, clock: realClock, rng: seededRng(1) })
  t.equal(res.errors, 3, 'every 4th answer failed')
  t.same(res.errorKinds, { 'HTTP 500': 3 })
  t.equal(res.pods.b!.errors, 3, 'the errors are charged to the pod that answered (every 4th is b)')
  // A port that was free a moment ago: nothing listens there now.
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const port = (probe.address() as AddressInfo).port
  probe.close()
  await once(probe, 'close')
  const refused = await runLoad({ url: `http://127.0.0.1:${port}/`, requests: 3, clock: realClock, rng: seededRng(1) })
  t.equal(refused.errors, 3)
  t.same(refused.errorKinds, { ECONNREFUSED: 3 })
  t.same(refused.pods, {})
  t.match(formatPodSummary(refused), /3 with no answer: ECONNREFUSED 3/)
})

t.test('open loop: Poisson arrivals at the rate, timed by the injected clock and RNG', async (t) => {
  const e = await echo(t, ['a'])
  const clock = new FakeClock()
  const rate = 200
  const durationMs = 500
  // The arrival times the same seed gives: exponential gaps of mean 1000/rate ms.
  const rng = seededRng(42)
  let at = 0
  let expected = 0
  for (;;) {
    at += (-Math.log(1 - rng()) / rate) * 1000
    if (at >= durationMs) break
    expected++
  }
  const run = runLoad({ url: e.url, rate, durationMs, clock, rng: seededRng(42) })
  clock.advance(durationMs * 2)
  const res = await run
  t.equal(res.loop, 'open')
  t.equal(res.issued, expected, `${expected} arrivals in ${durationMs} ms`)
  t.equal(res.succeeded, expected)
  t.equal(e.answered.get('a'), expected, 'the server saw each of them')
  t.ok(Math.abs(expected - (rate * durationMs) / 1000) < 40, 'close to rate × duration')
})

t.test('bad options name the flag', async (t) => {
  const base = { clock: realClock, rng: seededRng(1) }
  await t.rejects(runLoad({ ...base, url: 'not a url' }), UsageError)
  await t.rejects(runLoad({ ...base, url: 'https://x/' }), /only http/)
  await t.rejects(runLoad({ ...base, url: 'http://127.0.0.1/', concurrency: 0 }), /--concurrency/)
  await t.rejects(runLoad({ ...base, url: 'http://127.0.0.1/', rate: -1 }), /--rate/)
})

t.test('aborting stops a duration-bound run', async (t) => {
  const e = await echo(t, ['a'])
  const ac = new AbortController()
  let n = 0
  const res = await runLoad({
    url: e.url,
    durationMs: 60_000,
    clock: realClock,
    rng: seededRng(1),
    signal: ac.signal,
    onResponse: () => {
      if (++n === 5) ac.abort()
    },
  })
  t.equal(res.issued, 5, 'no request issued after the abort')
})
