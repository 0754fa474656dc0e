// The lab's forwarders over real loopback sockets: host TCP → unix socket → TCP server, both ways.
import t from 'tap'
import { createConnection, createServer, type AddressInfo } from 'node:net'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { formatEndpoint, parseEndpoint, parseForwardMap, startForwarder } from '../../src/lab/forwarder.js'

t.test('endpoints parse and print in the tcp:/unix: forms', async (t) => {
  t.same(parseEndpoint('tcp:127.0.0.1:6443'), { kind: 'tcp', host: '127.0.0.1', port: 6443 })
  t.same(parseEndpoint('tcp:[::1]:80'), { kind: 'tcp', host: '::1', port: 80 })
  t.same(parseEndpoint('unix:/run/a.sock'), { kind: 'unix', path: '/run/a.sock' })
  t.equal(formatEndpoint({ kind: 'tcp', host: '127.0.0.1', port: 1 }), 'tcp:127.0.0.1:1')
  t.throws(() => parseEndpoint('http://x'), /invalid endpoint "http:\/\/x": use tcp:HOST:PORT or unix:PATH/)
  t.throws(() => parseEndpoint('tcp:h:70000'), /invalid endpoint/)
  t.throws(() => parseEndpoint(`unix:/${'a'.repeat(120)}`), /longer than 107 bytes/)
  t.throws(() => parseForwardMap('tcp:127.0.0.1:0'), /use LISTEN=TARGET/)
  t.same(parseForwardMap('tcp:127.0.0.1:0=unix:/s').target, { kind: 'unix', path: '/s' })
})

// Short test names: the testdir path holds a unix socket, and sun_path has 108 bytes.
t.test('two hops', async (t) => {
  // TCP → unix socket → TCP server and back; close removes the socket.
  const dir = t.testdir({})
  const sock = join(dir, 'api')
  // The "component": echoes back upper-cased.
  const server = createServer((s) => s.on('data', (d: Buffer) => s.end(d.toString().toUpperCase())))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => void server.close())
  const port = (server.address() as AddressInfo).port
  const inner = await startForwarder([parseForwardMap(`unix:${sock}=tcp:127.0.0.1:${port}`)])
  const outer = await startForwarder([parseForwardMap(`tcp:127.0.0.1:0=unix:${sock}`)])
  t.teardown(() => Promise.all([inner.close(), outer.close()]))
  const listening = outer.listening[0]!
  t.equal(listening.kind, 'tcp')
  const c = createConnection({ host: '127.0.0.1', port: listening.kind === 'tcp' ? listening.port : 0 })
  c.end('hello through two forwarders')
  let got = ''
  c.on('data', (d: Buffer) => (got += d.toString()))
  await once(c, 'close')
  t.equal(got, 'HELLO THROUGH TWO FORWARDERS')
  await inner.close()
  t.notOk(existsSync(sock), 'the unix socket file is removed on close')
})

t.test('refused', async (t) => {
  // A refused target closes the client connection instead of hanging.
  const dir = t.testdir({})
  const fwd = await startForwarder([parseForwardMap(`tcp:127.0.0.1:0=unix:${join(dir, 'nobody')}`)])
  t.teardown(() => fwd.close())
  const l = fwd.listening[0]!
  const c = createConnection({ host: '127.0.0.1', port: l.kind === 'tcp' ? l.port : 0 })
  c.on('error', () => {})
  await once(c, 'close')
  t.pass('closed')
})
