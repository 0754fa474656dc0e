// Runs the API server: opens the store, makes or loads TLS and the admin credentials, listens over
// HTTPS, and stops cleanly on SIGTERM/SIGINT.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { realClock, type Clock } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import { createStore } from '../storage/factory.js'
import type { Store } from '../storage/store.js'
import { buildApiServer } from './app.js'
import { ensureAdminToken, writeAdminKubeconfig } from './auth/bootstrap.js'
import { ensureServingCerts } from './auth/tls.js'
import { TokenAuthenticator } from './auth/tokens.js'
import type { ApiServerOptions } from './options.js'

/** A running API server. */
export interface RunningApiServer {
  app: FastifyInstance
  store: Store
  /** `https://host:port` as clients reach it. */
  url: string
  port: number
  kubeconfigPath: string
  /** Stops listening, ends watches and closes the store. */
  close(): Promise<void>
}

/** Starts the API server from resolved options; returns once it listens and the kubeconfig is written. */
export async function startApiServer(opts: ApiServerOptions, deps: { clock?: Clock; logger?: Logger } = {}): Promise<RunningApiServer> {
  const clock = deps.clock ?? realClock
  const logger = deps.logger ?? silentLogger()
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 })
  const advertise = opts.advertiseAddress ?? (opts.bindAddress === '0.0.0.0' ? '127.0.0.1' : opts.bindAddress)
  const certs = await ensureServingCerts(opts.dataDir, [opts.bindAddress, advertise])
  const admin = await ensureAdminToken(opts.dataDir)
  const tokens = await TokenAuthenticator.fromFile(opts.tokenAuthFile ?? admin.tokensFile)
  const store = createStore({ backend: opts.storageBackend, dataDir: join(opts.dataDir, 'store'), etcdServers: opts.etcdServers, clock, logger })
  await store.open()
  let app: FastifyInstance
  try {
    app = await buildApiServer({
      store,
      clock,
      logger,
      tokens,
      https: { key: certs.key, cert: certs.cert },
      kubeletToken: admin.token,
      serviceClusterIPRange: opts.serviceClusterIPRange,
      serviceNodePortRange: opts.serviceNodePortRange,
      advertiseAddress: advertise,
      securePort: opts.securePort || 6443,
      bodyLimit: opts.maxRequestBytes,
    })
    await app.listen({ host: opts.bindAddress, port: opts.securePort })
  } catch (err) {
    await store.close()
    throw err
  }
  const port = (app.server.address() as AddressInfo).port
  if (port !== (opts.securePort || 6443)) await app.kplab.reconcileKubernetesService(port)
  const host = opts.bindAddress === '0.0.0.0' ? '127.0.0.1' : opts.bindAddress
  const url = `https://${host}:${port}`
  const kubeconfigPath = await writeAdminKubeconfig(opts.dataDir, url, certs.caCert, admin.token)
  let closing: Promise<void> | undefined
  return {
    app,
    store,
    url,
    port,
    kubeconfigPath,
    close: () =>
      (closing ??= (async () => {
        await app.close()
        await store.close()
      })()),
  }
}

/**
 * Runs the server until SIGTERM or SIGINT; prints the ready line
 * `kplab apiserver listening on https://127.0.0.1:PORT (kubeconfig: DIR/admin.kubeconfig)` that tests and the lab wait for.
 */
export async function runApiServer(opts: ApiServerOptions, deps: { clock?: Clock; logger?: Logger; out?: NodeJS.WritableStream } = {}): Promise<void> {
  const server = await startApiServer(opts, deps)
  const out = deps.out ?? process.stdout
  out.write(`kplab apiserver listening on ${server.url} (kubeconfig: ${server.kubeconfigPath})\n`)
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      server.close().then(resolve, (err: unknown) => {
        deps.logger?.error({ err }, 'shutdown failed')
        resolve()
      })
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}
