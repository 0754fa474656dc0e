// L7 HTTP/1.1 on raw sockets: one pick per request, keep-alive pools to endpoints, bytes forwarded
// unchanged. node:http caps any hop at ~0.72 × HAProxy (issue 4 §3), so this path parses only what
// framing needs (http-parser.ts) and refuses ambiguous messages with 400 before they reach an endpoint.
import net from 'node:net'
import type { Clock } from '../../base/clock.js'
import type { PickContext } from '../../lb/balancer.js'
import { ChunkedFramer, HttpParseError, parseHead, type MessageHead } from './http-parser.js'
import { UpstreamPool, type UpstreamConn, type UpstreamOwner } from './http-pool.js'
import type { PortRuntime } from './port-runtime.js'

/** Options of an HTTP listener. */
export interface HttpProxyOptions {
  runtime: PortRuntime
  clock: Clock
  host?: string
  port?: number
}

/** Bytes of a request kept for a retry on another endpoint; a longer request is not retried. */
const REPLAY_LIMIT = 65536
/** Pipelined bytes buffered while an exchange runs before the client is paused. */
const PENDING_LIMIT = 65536

function simpleResponse(status: number, reason: string, text: string): Buffer {
  return Buffer.from(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text) + 1}\r\nconnection: close\r\n\r\n${text}\n`)
}

/** An HTTP listener balancing per request. */
export class HttpProxy {
  private readonly server: net.Server
  readonly pool = new UpstreamPool()
  private readonly clients = new Set<net.Socket>()

  constructor(readonly opts: HttpProxyOptions) {
    this.server = net.createServer({ noDelay: true }, (c) => {
      this.clients.add(c)
      c.on('close', () => this.clients.delete(c))
      new ClientSession(this, c)
    })
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', reject)
        resolve()
      })
    })
    return this.port
  }

  /** The bound port. */
  get port(): number {
    const a = this.server.address()
    return a !== null && typeof a === 'object' ? a.port : 0
  }

  /** Stops accepting; with `drain` false also destroys client and pooled connections. */
  async close(drain = true): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    if (!drain) {
      for (const c of this.clients) c.destroy()
      this.pool.destroyAll()
    }
    await closed
  }
}

type Phase = 'head' | 'body' | 'wait' | 'tunnel' | 'closed'

/** One client connection: a loop of exchanges (request → endpoint → response). */
class ClientSession implements UpstreamOwner {
  private pending: Buffer | undefined
  private phase: Phase = 'head'
  private readonly ctx: PickContext
  // The current exchange.
  private req!: MessageHead
  private reqRemaining = 0
  private reqFramer: ChunkedFramer | undefined
  private reqDone = false
  private replay: Buffer[] | undefined
  private replayBytes = 0
  private up: UpstreamConn | undefined
  private epId = ''
  private retried = false
  private started = 0n
  private res: MessageHead | undefined
  private resBuf: Buffer | undefined
  private resRemaining = 0
  private resFramer: ChunkedFramer | undefined
  private resStarted = false
  private closeAfter = false

  constructor(
    private readonly proxy: HttpProxy,
    private readonly client: net.Socket,
  ) {
    this.ctx = { clientIP: client.remoteAddress }
    client.on('data', (d: Buffer) => this.onClientData(d))
    client.on('drain', () => this.up?.socket.resume())
    client.on('error', () => {})
    client.on('end', () => {
      if (this.phase === 'tunnel') this.up?.socket.end()
      else if (this.phase === 'head' && this.pending === undefined) client.end()
      else this.closeAfter = true
    })
    client.on('close', () => this.onClientClose())
  }

  private get rt(): PortRuntime {
    return this.proxy.opts.runtime
  }

  private onClientData(d: Buffer): void {
    if (this.phase === 'tunnel') {
      this.rt.stats.endpoint(this.epId).bytesIn += d.length
      if (!this.up!.socket.write(d)) this.client.pause()
      return
    }
    if (this.phase === 'body') {
      const used = this.forwardRequestBody(d, 0)
      if (used < 0 || used === d.length) return
      d = d.subarray(used)
    }
    this.pending = this.pending === undefined ? d : Buffer.concat([this.pending, d])
    if (this.phase === 'head') this.processPending()
    else if (this.pending.length > PENDING_LIMIT) this.client.pause()
  }

  private processPending(): void {
    const buf = this.pending
    if (buf === undefined || this.phase !== 'head') return
    let head: MessageHead | undefined
    try {
      head = parseHead(buf, 0, true)
    } catch (e) {
      if (e instanceof HttpParseError) return this.reject(400, 'Bad Request', e.message)
      throw e
    }
    if (head === undefined) return
    this.req = head
    this.reqDone = false
    this.reqRemaining = head.body === 'length' ? head.contentLength : 0
    this.reqFramer = head.body === 'chunked' ? new ChunkedFramer() : undefined
    this.res = undefined
    this.resBuf = undefined
    this.resStarted = false
    this.retried = false
    this.replay = []
    this.replayBytes = 0
    this.pending = undefined
    if (!this.startExchange(undefined)) return
    this.send(buf.subarray(0, head.headLength))
    if (head.body === 'none') this.requestDone()
    else this.phase = 'body'
    const rest = buf.subarray(head.headLength)
    if (rest.length === 0) return
    if (this.phase === 'body') {
      const used = this.forwardRequestBody(rest, 0)
      if (used < 0) return
      if (used < rest.length) this.pending = rest.subarray(used)
    } else {
      this.pending = rest
    }
  }

  /** Picks an endpoint and takes a connection to it; false (and an answer sent) when none. */
  private startExchange(failed: string | undefined): boolean {
    const rt = this.rt
    let id = rt.balancer.pick(this.ctx)
    if (failed !== undefined && id === failed) id = rt.balancer.pick(this.ctx)
    const addr = id === undefined ? undefined : rt.address(id)
    if (id === undefined || addr === undefined || id === failed) {
      rt.stats.noEndpoint++
      this.reject(503, 'Service Unavailable', `no endpoint available for ${rt.stats.servicePort}`)
      return false
    }
    this.epId = id
    this.started = this.proxy.opts.clock.hrtime()
    rt.balancer.onStart(id)
    const st = rt.stats.endpoint(id)
    st.active++
    st.requests++
    const { conn, fresh } = this.proxy.pool.acquire(id, addr, this)
    if (fresh) st.connections++
    this.up = conn
    return true
  }

  private send(b: Buffer): void {
    this.rt.stats.endpoint(this.epId).bytesIn += b.length
    if (this.replay !== undefined) {
      this.replayBytes += b.length
      if (this.replayBytes > REPLAY_LIMIT) this.replay = undefined
      else this.replay.push(b)
    }
    if (!this.up!.socket.write(b)) this.client.pause()
  }

  /** Forwards request body bytes from d[start..]; returns bytes used, or -1 after rejecting. */
  private forwardRequestBody(d: Buffer, start: number): number {
    let n: number
    if (this.reqFramer !== undefined) {
      try {
        n = this.reqFramer.feed(d, start, d.length)
      } catch (e) {
        this.rt.stats.badRequests++
        this.abortExchange()
        this.reject(400, 'Bad Request', (e as Error).message)
        return -1
      }
      if (n > 0) this.send(d.subarray(start, start + n))
      if (this.reqFramer.done) this.requestDone()
      return n
    }
    n = Math.min(this.reqRemaining, d.length - start)
    if (n > 0) this.send(n === d.length && start === 0 ? d : d.subarray(start, start + n))
    this.reqRemaining -= n
    if (this.reqRemaining === 0) this.requestDone()
    return n
  }

  private requestDone(): void {
    this.reqDone = true
    this.phase = 'wait'
    if (this.res !== undefined && this.responseComplete) this.finish(true)
  }

  private responseComplete = false

  onUpstreamData(conn: UpstreamConn, d: Buffer): void {
    if (conn !== this.up) return
    const st = this.rt.stats.endpoint(this.epId)
    st.bytesOut += d.length
    if (this.phase === 'tunnel') {
      if (!this.client.write(d)) conn.socket.pause()
      return
    }
    this.resStarted = true
    this.replay = undefined
    let buf = d
    while (buf.length > 0) {
      if (this.res === undefined || this.resBuf !== undefined) {
        const all = this.resBuf === undefined ? buf : Buffer.concat([this.resBuf, buf])
        let head: MessageHead | undefined
        try {
          head = parseHead(all, 0, false, this.req.method)
        } catch (e) {
          st.errors++
          return this.failExchange(`endpoint ${this.epId} sent a malformed response: ${(e as Error).message}`)
        }
        if (head === undefined) {
          this.resBuf = all
          return
        }
        this.resBuf = undefined
        this.writeClient(all.subarray(0, head.headLength), conn)
        buf = all.subarray(head.headLength)
        if (head.status >= 100 && head.status < 200 && head.status !== 101) continue
        this.res = head
        if (head.upgrade) {
          this.phase = 'tunnel'
          if (buf.length > 0) this.writeClient(buf, conn)
          return
        }
        if (head.status >= 500) st.errors++
        this.resRemaining = head.body === 'length' ? head.contentLength : 0
        this.resFramer = head.body === 'chunked' ? new ChunkedFramer() : undefined
        if (head.body === 'none') {
          this.responseDone(buf.length > 0)
          return
        }
        continue
      }
      let n: number
      if (this.resFramer !== undefined) {
        try {
          n = this.resFramer.feed(buf, 0, buf.length)
        } catch (e) {
          st.errors++
          return this.failExchange(`endpoint ${this.epId} sent bad chunked framing: ${(e as Error).message}`)
        }
      } else if (this.res.body === 'close') {
        n = buf.length
      } else {
        n = Math.min(this.resRemaining, buf.length)
        this.resRemaining -= n
      }
      this.writeClient(n === buf.length ? buf : buf.subarray(0, n), conn)
      if ((this.resFramer !== undefined && this.resFramer.done) || (this.res.body === 'length' && this.resRemaining === 0)) {
        this.responseDone(n < buf.length)
        return
      }
      buf = buf.subarray(n)
    }
  }

  private writeClient(b: Buffer, conn: UpstreamConn): void {
    if (!this.client.write(b)) conn.socket.pause()
  }

  /** The response ended; `extra` means the endpoint sent more than it framed (never reuse it). */
  private responseDone(extra: boolean): void {
    this.responseComplete = true
    if (extra || !this.res!.keepAlive) this.up!.owner = undefined
    if (extra || !this.res!.keepAlive) {
      const s = this.up!.socket
      this.up = undefined
      s.destroy()
    }
    // An endpoint that answers before the whole request arrived cannot take the rest: close after.
    if (!this.reqDone) this.closeAfter = true
    this.finish(true)
  }

  onUpstreamEnd(conn: UpstreamConn): void {
    if (conn !== this.up) return
    if (this.phase === 'tunnel') {
      this.client.end()
      return
    }
    if (this.res !== undefined && this.res.body === 'close' && !this.responseComplete) {
      this.responseComplete = true
      this.closeAfter = true
      this.finish(true)
    }
  }

  onUpstreamClose(conn: UpstreamConn): void {
    if (conn !== this.up) return
    if (this.phase === 'tunnel') {
      this.client.destroy()
      this.finish(true)
      return
    }
    if (this.responseComplete) return
    if (!this.resStarted) {
      const connectFailure = !conn.connected
      if (connectFailure) this.rt.stats.endpoint(this.epId).errors++
      // A connect failure, or a stale keep-alive connection closed under us: retry once elsewhere.
      if (!this.retried && this.replay !== undefined) {
        const replay = this.replay
        const failed = this.epId
        this.endAccounting(!connectFailure)
        this.up = undefined
        this.retried = true
        this.replay = []
        this.replayBytes = 0
        if (!this.startExchange(connectFailure ? failed : undefined)) return
        for (const b of replay) this.send(b)
        return
      }
      this.failExchange(`endpoint ${this.epId} closed the connection before answering`)
      return
    }
    this.failExchange('')
  }

  onUpstreamDrain(conn: UpstreamConn): void {
    if (conn === this.up) this.client.resume()
  }

  private endAccounting(ok: boolean): void {
    const st = this.rt.stats.endpoint(this.epId)
    st.active--
    const ms = Number(this.proxy.opts.clock.hrtime() - this.started) / 1e6
    if (ok) st.observe(ms)
    this.rt.balancer.onFinish(this.epId, { ok: ok && (this.res === undefined || this.res.status < 500), durationMs: ms })
  }

  private finish(ok: boolean): void {
    if (!this.responseComplete || (!this.reqDone && !this.closeAfter)) return
    this.endAccounting(ok)
    const up = this.up
    this.up = undefined
    if (up !== undefined) {
      if (this.reqDone && !this.closeAfter && this.res?.keepAlive === true) this.proxy.pool.release(up)
      else {
        up.owner = undefined
        up.socket.destroy()
      }
    }
    this.responseComplete = false
    if (this.closeAfter || !this.req.keepAlive) {
      this.phase = 'closed'
      this.client.end()
      return
    }
    this.phase = 'head'
    this.client.resume()
    this.processPending()
  }

  /** The exchange broke after it started: 502 if nothing was answered yet, else cut the client. */
  private failExchange(why: string): void {
    this.abortExchange()
    if (!this.resStarted || this.res === undefined) this.reject(502, 'Bad Gateway', why)
    else this.client.destroy()
  }

  private abortExchange(): void {
    const up = this.up
    if (up === undefined) return
    this.up = undefined
    this.endAccounting(false)
    up.owner = undefined
    up.socket.destroy()
  }

  private reject(status: number, reason: string, text: string): void {
    if (status === 400 && this.phase === 'head') this.rt.stats.badRequests++
    this.phase = 'closed'
    this.pending = undefined
    if (!this.client.destroyed) this.client.end(simpleResponse(status, reason, text))
  }

  private onClientClose(): void {
    const up = this.up
    if (up === undefined) return
    this.up = undefined
    this.phase = 'closed'
    this.endAccounting(true)
    up.owner = undefined
    up.socket.destroy()
  }
}
