import t from 'tap'
import { ChunkedFramer, HttpParseError, MAX_HEAD_BYTES, parseHead } from '../../../src/proxy/userspace/http-parser.js'

const req = (s: string) => parseHead(Buffer.from(s, 'latin1'), 0, true)
const res = (s: string, method = 'GET') => parseHead(Buffer.from(s, 'latin1'), 0, false, method)

t.test('request heads: framing and keep-alive', async (t) => {
  t.equal(req('GET / HTTP/1.1\r\nHost: x'), undefined, 'incomplete head')
  const g = req('GET /a HTTP/1.1\r\nHost: x\r\n\r\nNEXT')!
  t.same([g.method, g.body, g.keepAlive, g.headLength], ['GET', 'none', true, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n'.length])
  const p = req('POST / HTTP/1.1\r\ncontent-length: 12\r\nConnection: close\r\n\r\n')!
  t.same([p.body, p.contentLength, p.keepAlive], ['length', 12, false])
  t.equal(req('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n')!.body, 'chunked')
  t.equal(req('GET / HTTP/1.0\r\n\r\n')!.keepAlive, false, 'HTTP/1.0 closes by default')
  t.equal(req('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')!.keepAlive, true)
  t.equal(req('GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n')!.contentLength, 3, 'equal duplicates are one length')
})

t.test('ambiguous requests throw', async (t) => {
  const bad = [
    'POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
    'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    'POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n',
    'POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n',
    'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n',
    'GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n',
    'GET / HTTP/1.1\r\nA : b\r\n\r\n',
    'GET / HTTP/2.0\r\n\r\n',
    'GET /a b HTTP/1.1\r\n\r\n',
    'GET / HTTP/1.1\r\nA: b\nB: c\r\n\r\n',
  ]
  for (const b of bad) t.throws(() => req(b), HttpParseError, JSON.stringify(b))
  t.throws(() => parseHead(Buffer.from('GET / HTTP/1.1\r\nX: ' + 'a'.repeat(MAX_HEAD_BYTES)), 0, true), HttpParseError, 'oversized even before the blank line')
})

t.test('response heads: bodyless statuses and close-delimited bodies', async (t) => {
  t.equal(res('HTTP/1.1 200 OK\r\n\r\n')!.body, 'close', 'no length: read until close')
  t.equal(res('HTTP/1.1 200 OK\r\n\r\n')!.keepAlive, false)
  t.equal(res('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n')!.body, 'none')
  t.equal(res('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', 'HEAD')!.body, 'none', 'answer to HEAD')
  t.equal(res('HTTP/1.1 100 Continue\r\n\r\n')!.status, 100)
  t.equal(res('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')!.upgrade, true)
})

t.test('chunked framing finds the end across arbitrary splits', async (t) => {
  const body = Buffer.from('5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nTrailer: 1\r\n\r\nNEXT')
  const end = body.length - 4
  for (let split = 0; split <= end; split++) {
    const f = new ChunkedFramer()
    const a = f.feed(body, 0, split)
    const b = f.feed(body, split, body.length)
    if (a + b !== end || !f.done) {
      t.fail(`split at ${split}: consumed ${a}+${b}`)
      return
    }
  }
  t.pass('every split point ends the body right before NEXT')
  for (const bad of ['zz\r\n', '5\r\nhelloXX', '\r\n', '1234567890123456\r\n', '5\nhello']) {
    t.throws(() => new ChunkedFramer().feed(Buffer.from(bad), 0, bad.length), HttpParseError, JSON.stringify(bad))
  }
})
