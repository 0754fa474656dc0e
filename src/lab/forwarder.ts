// Byte forwarders between TCP and unix sockets. The host never gets an address or route into the
// lab; instead a forwarder inside a machine's namespace serves a unix socket (files cross network
// namespaces) and connects to the component's TCP address there, and a forwarder on the host
// listens on 127.0.0.1 and connects to that socket. TLS passes through untouched, so the API
// server's certificate must carry 127.0.0.1 (it does: BASE_SANS in src/apiserver/auth/tls.ts).
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { rmSync } from 'node:fs'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'

/** A TCP address or a unix socket path. */
export type Endpoint = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string }

/** One forward: accept on listen, connect each connection to target. */
export interface ForwardMap {
  listen: Endpoint
  target: Endpoint
}

// sun_path is 108 bytes on Linux, including the terminating NUL.
const UNIX_PATH_MAX = 107

/** Parses `tcp:HOST:PORT` or `unix:PATH`; the error names the accepted forms. */
export function parseEndpoint(s: string): Endpoint {
  const tcp = /^tcp:(.+):(\d{1,5})$/.exec(s)
  if (tcp && Number(tcp[2]) <= 65535) return { kind: 'tcp', host: tcp[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(tcp[2]) }
  if (s.startsWith('unix:') && s.length > 5) {
    const path = s.slice(5)
    if (Buffer.byteLength(path) > UNIX_PATH_MAX) throw new TypeError(`unix socket path ${path} is longer than ${UNIX_PATH_MAX} bytes; use a shorter state directory`)
    return { kind: 'unix', path }
  }
  throw new TypeError(`invalid endpoint ${JSON.stringify(s)}: use tcp:HOST:PORT or unix:PATH`)
}

/** An endpoint in the `tcp:…`/`unix:…` form parseEndpoint reads. */
export function formatEndpoint(e: Endpoint): string {
  return e.kind === 'tcp' ? `tcp:${e.host}:${e.port}` : `unix:${e.path}`
}

/** Parses a `LISTEN=TARGET` pair as given to `kplab forward --map`. */
export function parseForwardMap(s: string): ForwardMap {
  const i = s.indexOf('=')
  if (i < 0) throw new TypeError(`invalid --map ${JSON.stringify(s)}: use LISTEN=TARGET, e.g. tcp:127.0.0.1:0=unix:/run/api.sock`)
  return { listen: parseEndpoint(s.slice(0, i)), target: parseEndpoint(s.slice(i + 1)) }
}

/** Running forwarders. */
export interface Forwarder {
  /** What each map listens on, with the real port for `tcp:…:0`. */
  listening: Endpoint[]
  close(): Promise<void>
}

/** Starts one listener per map; each accepted connection is piped to a new connection to its target. */
export async function startForwarder(maps: readonly ForwardMap[]): Promise<Forwarder> {
  const servers: Server[] = []
  const sockets = new Set<Socket>()
  const listening: Endpoint[] = []
  try {
    for (const m of maps) {
      // Half-open on both sides: a client that sends its request and shuts down its write side
      // still gets the whole answer (pipe() forwards the FIN, not a reset).
      const server = createServer({ allowHalfOpen: true }, (client) => {
        const upstream =
          m.target.kind === 'tcp'
            ? createConnection({ host: m.target.host, port: m.target.port, allowHalfOpen: true })
            : createConnection({ path: m.target.path, allowHalfOpen: true })
        sockets.add(client)
        sockets.add(upstream)
        // Either side failing or closing ends both: a half-open pair would hang the client.
        const end = (): void => {
          client.destroy()
          upstream.destroy()
          sockets.delete(client)
          sockets.delete(upstream)
        }
        client.on('error', end).on('close', end)
        upstream.on('error', end).on('close', end)
        client.pipe(upstream)
        upstream.pipe(client)
      })
      servers.push(server)
      if (m.listen.kind === 'unix') {
        // A socket file left by a killed forwarder would make listen fail with EADDRINUSE.
        rmSync(m.listen.path, { force: true })
        server.listen(m.listen.path)
      } else {
        server.listen(m.listen.port, m.listen.host)
      }
      await once(server, 'listening')
      const a = server.address()
      listening.push(m.listen.kind === 'tcp' ? { kind: 'tcp', host: m.listen.host, port: (a as AddressInfo).port } : m.listen)
    }
  } catch (e) {
    for (const s of servers) s.close()
    throw e
  }
  return {
    listening,
    close: async () => {
      for (const s of sockets) s.destroy()
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))))
      for (const m of maps) if (m.listen.kind === 'unix') rmSync(m.listen.path, { force: true })
    },
  }
}
