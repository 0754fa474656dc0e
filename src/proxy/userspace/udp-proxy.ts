// UDP: one pick per client flow (source address and port), as the original userspace kube-proxy
// did; each flow has its own socket towards the endpoint so replies find their client, and a flow
// idle for `idleTimeoutMs` is forgotten (upstream's --udp-timeout, default 250 ms there; ours 30 s).
import dgram from 'node:dgram'
import type { Clock, TimerHandle } from '../../base/clock.js'
import type { PortRuntime } from './port-runtime.js'

/** Options of a UDP listener. */
export interface UdpProxyOptions {
  runtime: PortRuntime
  clock: Clock
  host?: string
  port?: number
  /** A flow with no packet either way for this long is closed (default 30000 ms). */
  idleTimeoutMs?: number
}

interface Flow {
  id: string
  host: string
  port: number
  socket: dgram.Socket
  lastActive: number
  started: bigint
}

/** A UDP listener balancing per client flow. */
export class UdpProxy {
  private readonly socket: dgram.Socket
  private readonly flows = new Map<string, Flow>()
  private sweeper?: TimerHandle
  private readonly idleMs: number

  constructor(private readonly opts: UdpProxyOptions) {
    this.idleMs = opts.idleTimeoutMs ?? 30_000
    const host = opts.host ?? '127.0.0.1'
    this.socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4')
    this.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo))
    this.socket.on('error', () => {})
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject)
      this.socket.bind(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => {
        this.socket.off('error', reject)
        resolve()
      })
    })
    // A sweep rather than a timer per flow: re-arming a timer per packet would cost more than the packet.
    this.sweeper = this.opts.clock.setInterval(() => this.sweep(), Math.max(10, this.idleMs / 2))
    return this.socket.address().port
  }

  /** The bound port. */
  get port(): number {
    return this.socket.address().port
  }

  /** Number of live client flows. */
  get flowCount(): number {
    return this.flows.size
  }

  /** Closes the listener and every flow. */
  async close(): Promise<void> {
    this.opts.clock.clearInterval(this.sweeper)
    for (const key of [...this.flows.keys()]) this.endFlow(key, true)
    await new Promise<void>((resolve) => this.socket.close(() => resolve()))
  }

  /** Closes flows idle for longer than the timeout (called by the sweep; public for tests). */
  sweep(): void {
    const now = this.opts.clock.now()
    for (const [key, f] of this.flows) if (now - f.lastActive >= this.idleMs) this.endFlow(key, true)
  }

  private endFlow(key: string, ok: boolean): void {
    const f = this.flows.get(key)
    if (f === undefined) return
    this.flows.delete(key)
    const rt = this.opts.runtime
    const st = rt.stats.endpoint(f.id)
    st.active--
    const ms = Number(this.opts.clock.hrtime() - f.started) / 1e6
    if (ok) st.observe(ms)
    else st.errors++
    rt.balancer.onFinish(f.id, { ok, durationMs: ms })
    f.socket.close()
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`
    const rt = this.opts.runtime
    let f = this.flows.get(key)
    if (f === undefined) {
      const id = rt.balancer.pick({ clientIP: rinfo.address })
      const addr = id === undefined ? undefined : rt.address(id)
      if (id === undefined || addr === undefined) {
        rt.stats.noEndpoint++
        return
      }
      const sock = dgram.createSocket(addr.host.includes(':') ? 'udp6' : 'udp4')
      const flow: Flow = { id, host: addr.host, port: addr.port, socket: sock, lastActive: this.opts.clock.now(), started: this.opts.clock.hrtime() }
      f = flow
      this.flows.set(key, flow)
      rt.balancer.onStart(id)
      const st = rt.stats.endpoint(id)
      st.active++
      st.connections++
      st.requests++
      sock.on('message', (reply, from) => {
        // Unconnected on purpose (a connecting dgram socket refuses sends): ignore strangers.
        if (from.port !== flow.port || from.address !== flow.host) return
        flow.lastActive = this.opts.clock.now()
        st.bytesOut += reply.length
        this.socket.send(reply, rinfo.port, rinfo.address)
      })
      sock.on('error', () => this.endFlow(key, false))
    }
    f.lastActive = this.opts.clock.now()
    const flow = f
    rt.stats.endpoint(flow.id).bytesIn += msg.length
    flow.socket.send(msg, flow.port, flow.host)
  }
}
