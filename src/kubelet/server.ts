// Runs the kubelet as a process: loads the kubeconfig, reads TLS files, builds the Kubelet with
// real ports (clock, processes, `ip` runner), prints a ready line, and stops on SIGTERM/SIGINT
// (leaving pods running, as upstream does, for the next kubelet to adopt).
import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { arch, release } from 'node:os'
import { realClock, type Clock } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import { loadKubeconfig, type KubeconfigSource } from '../client/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'
import { SpawnRunner } from '../netns/exec.js'
import { Kubelet } from './kubelet.js'
import type { KubeletOptions } from './options.js'
import { NodeProcessPort } from './runtime/process.js'

/** What the process environment supplies (read in src/cli/, passed down). */
export interface KubeletEnvironment {
  kubeconfig: KubeconfigSource
  pathEnv: string
  execPath: string
}

/** Builds and starts a kubelet from resolved options. */
export async function startKubelet(opts: KubeletOptions, env: KubeletEnvironment, deps: { clock?: Clock; logger?: Logger } = {}): Promise<{ kubelet: Kubelet; client: RestClient }> {
  const clock = deps.clock ?? realClock
  const logger = deps.logger ?? silentLogger()
  await mkdir(opts.rootDir, { recursive: true, mode: 0o700 })
  const config = loadKubeconfig({ ...env.kubeconfig, explicitPath: opts.kubeconfig ?? env.kubeconfig.explicitPath })
  const client = new RestClient(config, { userAgent: `kplab-kubelet/${opts.nodeName}` })
  const tls = opts.tlsCertFile && opts.tlsPrivateKeyFile ? { cert: readFileSync(opts.tlsCertFile, 'utf8'), key: readFileSync(opts.tlsPrivateKeyFile, 'utf8') } : undefined
  const kubelet = new Kubelet({
    options: opts,
    client,
    clock,
    logger,
    processes: new NodeProcessPort(clock),
    runner: new SpawnRunner(),
    // The API server proxies logs with the lab's admin token, the one this kubelet's kubeconfig holds.
    tokens: config.token ? [config.token] : [],
    execPath: env.execPath,
    pathEnv: env.pathEnv,
    kernelVersion: release(),
    architecture: arch() === 'x64' ? 'amd64' : arch(),
    tls,
  })
  await kubelet.start()
  return { kubelet, client }
}

/** Runs until SIGTERM/SIGINT; prints `kplab kubelet NODE serving on http://IP:PORT`. */
export async function runKubelet(opts: KubeletOptions, env: KubeletEnvironment, deps: { clock?: Clock; logger?: Logger; out?: NodeJS.WritableStream } = {}): Promise<void> {
  const { kubelet, client } = await startKubelet(opts, env, deps)
  const scheme = opts.tlsCertFile ? 'https' : 'http'
  ;(deps.out ?? process.stdout).write(`kplab kubelet ${opts.nodeName} serving on ${scheme}://${opts.nodeIP}:${kubelet.port}\n`)
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      kubelet
        .stop()
        .catch((err: unknown) => deps.logger?.error({ err }, 'shutdown failed'))
        .finally(() => {
          client.close()
          resolve()
        })
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}
