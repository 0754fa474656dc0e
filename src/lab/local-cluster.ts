// A local cluster: every component a process on this host (no root needed). Pods run as processes
// on their own loopback addresses (127.244.<node>.<n>), the proxy in userspace mode. The netns
// cluster (a namespace per machine, iptables mode) builds on the same supervisor.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from '../base/clock.js'
import { Supervisor, type CliLauncher, type Component } from './supervisor.js'

/** Options of a local cluster. */
export interface LocalClusterOptions {
  /** Directory for data, logs and the kubeconfig (`~/.kplab/<name>`). */
  stateDir: string
  nodes: number
  launcher: CliLauncher
  clock: Clock
  /** Algorithm of the userspace proxy for Services without the annotation. */
  lbAlgorithm?: string
  /** Second octet of the pod network 10.X.0.0/16 (default 244); tests pick another so parallel runs never share pod addresses. */
  podNetworkOctet?: number
  /** Progress lines ("apiserver up at …"). */
  onProgress?: (line: string) => void
  /** Called after every (re)start of a component with its pid, e.g. to record it in the lab's state file. */
  onSpawn?: (c: Component) => void
  /** Node name before its number (default 'node-'; kplab up uses 'node', as the netns lab's node1). */
  nodePrefix?: string
  /** Restart components that die (kplab up); the demo leaves it off. */
  restart?: boolean
}

/** A running local cluster. */
export interface LocalCluster {
  apiServerURL: string
  kubeconfig: string
  /** `http://host:port` of node-1's proxy (/ports, /stats, /metrics). */
  proxyMetricsURL: string
  supervisor: Supervisor
  stop(): Promise<void>
}

/** Starts API server, controller manager, scheduler, one kubelet per node and node-1's proxy. */
export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const sup = new Supervisor({ launcher: opts.launcher, clock: opts.clock, startTimeoutMs: 60_000 })
  if (opts.onSpawn) sup.on('spawn', opts.onSpawn)
  const so = { restart: opts.restart ?? false }
  const logs = join(opts.stateDir, 'logs')
  mkdirSync(logs, { recursive: true })
  const say = opts.onProgress ?? (() => {})
  const octet = opts.podNetworkOctet ?? 244
  try {
    const api = await sup.start(
      'apiserver',
      ['apiserver', '--data-dir', join(opts.stateDir, 'apiserver'), '--bind-address', '127.0.0.1', '--secure-port', '0'],
      join(logs, 'apiserver.log'),
      /listening on (https:\/\/\S+) \(kubeconfig: (.+)\)/,
      so,
    )
    const [, url, kubeconfig] = api.match as unknown as [string, string, string]
    say(`apiserver          ${url}`)
    const kc = ['--kubeconfig', kubeconfig]
    await Promise.all([
      sup.start('controller-manager', ['controller-manager', ...kc, '--cluster-cidr', `10.${octet}.0.0/16`, '--leader-elect', 'false'], join(logs, 'controller-manager.log'), /controller-manager running/, so),
      sup.start('scheduler', ['scheduler', ...kc, '--leader-elect', 'false'], join(logs, 'scheduler.log'), /scheduler running/, so),
    ])
    say('controller-manager and scheduler running')
    await Promise.all(
      Array.from({ length: opts.nodes }, (_, i) => {
        const node = `${opts.nodePrefix ?? 'node-'}${i + 1}`
        return sup.start(
          `kubelet ${node}`,
          ['kubelet', ...kc, '--hostname-override', node, '--pod-cidr', `10.${octet}.${i + 1}.0/24`, '--root-dir', join(opts.stateDir, node), '--port', '0', '--pod-network', 'loopback', '--node-status-update-frequency', '2s'],
          join(logs, `kubelet-${node}.log`),
          /serving on/,
          so,
        )
      }),
    )
    say(`kubelets           ${Array.from({ length: opts.nodes }, (_, i) => `${opts.nodePrefix ?? 'node-'}${i + 1}`).join(', ')} (pods on 127.${octet}.<node>.<n>)`)
    const proxy = await sup.start(
      `proxy ${opts.nodePrefix ?? 'node-'}1`,
      ['proxy', '--mode', 'userspace', ...kc, '--hostname-override', `${opts.nodePrefix ?? 'node-'}1`, '--metrics-bind-address', '127.0.0.1:0', '--lb-algorithm', opts.lbAlgorithm ?? 'round-robin'],
      join(logs, `proxy-${opts.nodePrefix ?? 'node-'}1.log`),
      /serving metrics on (http:\/\/\S+)/,
      so,
    )
    const proxyMetricsURL = proxy.match[1]!
    say(`proxy (userspace)  ${opts.nodePrefix ?? 'node-'}1, ${proxyMetricsURL}/ports`)
    return { apiServerURL: url, kubeconfig, proxyMetricsURL, supervisor: sup, stop: () => sup.stopAll() }
  } catch (err) {
    await sup.stopAll()
    throw err
  }
}
