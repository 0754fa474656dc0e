// L4 TCP: one pick per connection (as the original userspace kube-proxy), then bytes moved both
// ways. Machinery chosen by measurement (scripts/bench-userspace.ts, issue 4 §3): endpoint → client
// reads into one reused buffer per connection (`onread`), which beat `pipe()` and `data`/`write`;
// client → endpoint uses `data`/`write` because accepted sockets cannot take `onread`.
import net from 'node:net'
import type { Clock } from '../../base/clock.js'
import type { PickContext } from '../../lb/balancer.js'
import type { PortRuntime } from './port-runtime.js'

/** Options of a TCP listener. */
export interface TcpProxyOptions {
  runtime: PortRuntime
  clock: Clock
  /** Address to listen on (default 127.0.0.1). */
  host?: string
  /** Port to listen on (default 0: any free port). */
  port?: number
  /** Bytes of the per-connection read buffer for endpoint → client (default 64 KiB). */
  bufferSize?: number
}

/** A TCP listener balancing per connection. */
export class TcpProxy {
  private readonly server: net.Server
  private readonly sockets = new Set<net.Socket>()

  constructor(private readonly opts: TcpProxyOptions) {
    // pauseOnConnect: nothing is read from the client before an endpoint accepted, so a failed
    // connect can retry on another endpoint without losing bytes.
    this.server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (c) => this.accept(c))
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
    return (this.server.address() as net.AddressInfo).port
  }

  /** The bound port (0 before listen). */
  get port(): number {
    const a = this.server.address()
    return a !== null && typeof a === 'object' ? a.port : 0
  }

  /** Stops accepting; with `drain` false (default true) also destroys open connections. */
  async close(drain = true): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    if (!drain) for (const s of this.sockets) s.destroy()
    await closed
  }

  private accept(client: net.Socket): void {
    this.sockets.add(client)
    client.on('close', () => this.sockets.delete(client))
    client.on('error', () => {})
    const ctx: PickContext = { clientIP: client.remoteAddress }
    this.connect(client, ctx, undefined)
  }

  private connect(client: net.Socket, ctx: PickContext, failed: string | undefined): void {
    const rt = this.opts.runtime
    let id = rt.balancer.pick(ctx)
    // Retry once on another endpoint: a second pick that lands on the failed one gets one more try.
    if (failed !== undefined && id === failed) id = rt.balancer.pick(ctx)
    const addr = id === undefined ? undefined : rt.address(id)
    if (id === undefined || addr === undefined || (failed !== undefined && id === failed)) {
      rt.stats.noEndpoint++
      client.destroy()
      return
    }
    const st = rt.stats.endpoint(id)
    const clock = this.opts.clock
    const started = clock.hrtime()
    rt.balancer.onStart(id)
    st.active++
    let connected = false
    let finished = false
    const buf = Buffer.allocUnsafe(this.opts.bufferSize ?? 65536)
    const finish = (ok: boolean): void => {
      if (finished) return
      finished = true
      st.active--
      const ms = Number(clock.hrtime() - started) / 1e6
      if (!ok) st.errors++
      else st.observe(ms)
      rt.balancer.onFinish(id, { ok, durationMs: ms })
    }
    const upstream = net.connect({
      host: addr.host,
      port: addr.port,
      allowHalfOpen: true,
      noDelay: true,
      onread: {
        buffer: buf,
        callback: (n: number, b: Uint8Array): boolean => {
          st.bytesOut += n
          client.write(b.subarray(0, n))
          // A write libuv could not finish at once still references the shared buffer: stop
          // reading (so it is not overwritten) until the client drains.
          if (client.writableLength > 0) {
            client.once('drain', resumeUpstream)
            return false
          }
          return true
        },
      },
    })
    const resumeUpstream = (): void => {
      upstream.resume()
    }
    upstream.on('connect', () => {
      connected = true
      st.connections++
      st.requests++
      client.on('data', (chunk: Buffer) => {
        st.bytesIn += chunk.length
        if (!upstream.write(chunk)) client.pause()
      })
      upstream.on('drain', () => client.resume())
      client.on('end', () => upstream.end())
      upstream.on('end', () => client.end())
      client.resume()
    })
    upstream.on('error', () => {
      if (!connected) {
        finish(false)
        upstream.destroy()
        if (failed === undefined && !client.destroyed) this.connect(client, ctx, id)
        else client.destroy()
        return
      }
      finish(false)
      client.destroy()
    })
    upstream.on('close', () => {
      if (!connected) return
      finish(true)
      // The client finished its half already or gets the rest of its writes flushed by end().
      if (!client.writableEnded) client.end()
    })
    client.on('close', () => {
      if (connected && !upstream.destroyed) {
        if (upstream.writableEnded && upstream.readableEnded) return
        upstream.destroy()
      } else if (!connected) {
        upstream.destroy()
        finish(true)
      }
    })
  }
}
