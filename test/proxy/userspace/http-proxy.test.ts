import http from 'node:http'
import net from 'node:net'
import t from 'tap'
import { httpBackend, harness, service, slicesFor } from './fixtures.js'

/** Sends `n` requests one after another on one keep-alive connection; resolves with the bodies. */
async function keepAliveRequests(port: number, n: number, body?: string): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const out: string[] = []
  let sockets = 0
  try {
    for (let i = 0; i < n; i++) {
      out.push(
        await new Promise<string>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, path: `/r${i}`, method: body ? 'POST' : 'GET', agent }, (res) => {
            let d = ''
            res.setEncoding('utf8')
            res.on('data', (c: string) => (d += c))
            res.on('end', () => resolve(d))
          })
          req.on('socket', (s) => {
            if (!(s as net.Socket & { counted?: boolean }).counted) {
              ;(s as net.Socket & { counted?: boolean }).counted = true
              sockets++
            }
          })
          req.on('error', reject)
          req.end(body)
        }),
      )
    }
  } finally {
    agent.destroy()
  }
  if (sockets !== 1) throw new Error(`client used ${sockets} connections, expected 1 keep-alive connection`)
  return out
}

/** Writes raw bytes and resolves with everything the proxy answered before closing. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text))
    let d = ''
    s.setEncoding('latin1')
    s.on('data', (c: string) => (d += c))
    s.on('close', () => resolve(d))
    s.on('error', reject)
  })
}

t.test('a keep-alive client is balanced per request at L7 and per connection at L4', async (t) => {
  const backends = [await httpBackend(t, 'a'), await httpBackend(t, 'b'), await httpBackend(t, 'c')]
  const l7 = harness(t)
  await l7.apply(service({ appProtocol: 'http' }), slicesFor('web', backends))
  const l7answers = await keepAliveRequests(l7.port(), 6)
  // Round-robin walks endpoints in ip:port order, so the rotation starts wherever the ports sort.
  t.same(new Set(l7answers.slice(0, 3)), new Set(['a', 'b', 'c']), `L7: the first three requests go to three backends (${l7answers.join(',')})`)
  t.same(l7answers.slice(3), l7answers.slice(0, 3), 'L7: and the rotation repeats per request on one client connection')
  const l4 = harness(t)
  await l4.apply(service(), slicesFor('web', backends))
  const l4answers = await keepAliveRequests(l4.port(), 6)
  t.equal(new Set(l4answers).size, 1, `L4: one backend for the whole connection (${l4answers.join(',')})`)
  // L7 reuses pooled connections: 6 requests over 3 backends, at most one connection each.
  t.ok(backends.every((b) => b.connections <= 2), 'pooled upstream connections are reused')
})

t.test('request bodies by Content-Length and chunked framing reach the endpoint intact', async (t) => {
  const b = await httpBackend(t, 'echo')
  const h = harness(t)
  await h.apply(service({ appProtocol: 'http' }), slicesFor('web', [b]))
  const port = h.port()
  t.same(await keepAliveRequests(port, 2, 'hello'), ['echo:hello', 'echo:hello'])
  const chunked = await raw(port, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n')
  t.match(chunked, /^HTTP\/1\.1 200 OK/)
  t.match(chunked, /echo:hello world$/)
  // Two pipelined requests on one connection: both answered, in order.
  const piped = await raw(port, 'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.equal(piped.match(/HTTP\/1\.1 200 OK/g)?.length, 2, 'pipelined requests both answered')
})

t.test('ambiguous or malformed requests are refused with 400 and never reach an endpoint', async (t) => {
  const b = await httpBackend(t, 'x')
  const h = harness(t)
  await h.apply(service({ appProtocol: 'http' }), slicesFor('web', [b]))
  const port = h.port()
  const cases: Record<string, string> = {
    'Content-Length with Transfer-Encoding': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'two different Content-Lengths': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd',
    'obs-fold': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n',
    'space before the colon': 'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n',
    'Transfer-Encoding other than chunked': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n',
    'non-numeric Content-Length': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +4\r\n\r\nabcd',
    'oversized headers': `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`,
  }
  for (const [name, req] of Object.entries(cases)) {
    const res = await raw(port, req)
    t.match(res, /^HTTP\/1\.1 400 Bad Request\r\n/, name)
  }
  t.equal(b.hits, 0, 'no refused request reached the endpoint')
  // A bad chunk size is found while streaming: the endpoint may have the head, but the client gets 400.
  const badChunk = await raw(port, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n')
  t.match(badChunk, /^HTTP\/1\.1 400 Bad Request\r\n/, 'bad chunk size')
  t.ok(h.proxier.stats.ports.get('default/web:p')!.badRequests >= Object.keys(cases).length + 1, 'refusals are counted')
})

t.test('no endpoint answers 503; a dead endpoint is retried once on another', async (t) => {
  const h = harness(t)
  await h.apply(service({ appProtocol: 'http' }), [])
  const res = await raw(h.port(), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
  t.match(res, /^HTTP\/1\.1 503 Service Unavailable/)
  const good = await httpBackend(t, 'good')
  const dead = net.createServer()
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()))
  const deadPort = (dead.address() as net.AddressInfo).port
  await new Promise<void>((r) => dead.close(() => r()))
  await h.apply(undefined, slicesFor('web', [good, { port: deadPort, name: 'dead' }]))
  const answers = await keepAliveRequests(h.port(), 4)
  t.same(answers, ['good', 'good', 'good', 'good'])
})
