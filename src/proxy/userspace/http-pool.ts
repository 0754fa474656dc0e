// Keep-alive connections to endpoints for the L7 path: idle sockets per endpoint id, reused LIFO
// (the warmest first), forgotten when the endpoint closes them.
import net from 'node:net'
import type { EndpointAddress } from './port-runtime.js'

/** What an upstream connection reports to the exchange that owns it. */
export interface UpstreamOwner {
  onUpstreamData(conn: UpstreamConn, data: Buffer): void
  onUpstreamEnd(conn: UpstreamConn): void
  onUpstreamClose(conn: UpstreamConn): void
  onUpstreamDrain(conn: UpstreamConn): void
}

/** One connection to an endpoint; `owner` is the exchange using it, undefined while idle. */
export class UpstreamConn {
  owner: UpstreamOwner | undefined
  connected = false
  /** Set when the connection served at least one exchange (a failure on it may be a stale keep-alive). */
  reused = false
  closed = false

  constructor(
    readonly id: string,
    readonly socket: net.Socket,
  ) {}
}

/** Idle keep-alive connections per endpoint. */
export class UpstreamPool {
  private readonly idle = new Map<string, UpstreamConn[]>()
  private readonly all = new Set<UpstreamConn>()

  constructor(private readonly maxIdlePerEndpoint = 256) {}

  /** A pooled connection to `id`, or a new one (`fresh` true) connecting to `addr`. */
  acquire(id: string, addr: EndpointAddress, owner: UpstreamOwner): { conn: UpstreamConn; fresh: boolean } {
    const list = this.idle.get(id)
    const pooled = list?.pop()
    if (pooled !== undefined) {
      pooled.owner = owner
      pooled.reused = true
      pooled.socket.resume()
      return { conn: pooled, fresh: false }
    }
    const socket = net.connect({ host: addr.host, port: addr.port, noDelay: true })
    const conn = new UpstreamConn(id, socket)
    conn.owner = owner
    this.all.add(conn)
    socket.on('connect', () => {
      conn.connected = true
    })
    socket.on('data', (d: Buffer) => {
      if (conn.owner !== undefined) conn.owner.onUpstreamData(conn, d)
      // Bytes on an idle connection mean the endpoint broke framing: never reuse it.
      else socket.destroy()
    })
    socket.on('end', () => {
      if (conn.owner !== undefined) conn.owner.onUpstreamEnd(conn)
      else socket.destroy()
    })
    socket.on('drain', () => conn.owner?.onUpstreamDrain(conn))
    socket.on('error', () => {})
    socket.on('close', () => {
      conn.closed = true
      this.all.delete(conn)
      this.forget(conn)
      conn.owner?.onUpstreamClose(conn)
    })
    return { conn, fresh: true }
  }

  /** Returns a connection whose exchange ended cleanly; it waits idle for the next request. */
  release(conn: UpstreamConn): void {
    conn.owner = undefined
    if (conn.closed) return
    let list = this.idle.get(conn.id)
    if (list === undefined) {
      list = []
      this.idle.set(conn.id, list)
    }
    if (list.length >= this.maxIdlePerEndpoint) {
      conn.socket.destroy()
      return
    }
    list.push(conn)
  }

  /** Closes idle connections to endpoints not in `keep` (called after an endpoint update). */
  prune(keep: ReadonlySet<string>): void {
    for (const [id, list] of this.idle) {
      if (keep.has(id)) continue
      this.idle.delete(id)
      for (const c of list) c.socket.destroy()
    }
  }

  /** Number of idle connections (for tests and stats). */
  idleCount(id?: string): number {
    if (id !== undefined) return this.idle.get(id)?.length ?? 0
    let n = 0
    for (const l of this.idle.values()) n += l.length
    return n
  }

  /** Destroys every connection, idle or busy. */
  destroyAll(): void {
    for (const c of this.all) c.socket.destroy()
    this.idle.clear()
  }

  private forget(conn: UpstreamConn): void {
    const list = this.idle.get(conn.id)
    if (list === undefined) return
    const i = list.indexOf(conn)
    if (i >= 0) list.splice(i, 1)
  }
}
