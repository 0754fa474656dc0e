// The kubelet assembled from its parts: the HTTP endpoint (logs), node registration and heartbeat,
// the pod network (chosen once the pod CIDR is known) and the pod manager. Constructing does no
// I/O; start() begins, stop() ends and leaves pods running for the next kubelet to adopt.
import { once } from 'node:events'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Clock } from '../base/clock.js'
import type { Logger } from '../base/logger.js'
import type { RestClient } from '../client/rest-client.js'
import type { CommandRunner } from '../netns/exec.js'
import { KubeletLogServer } from './logs.js'
import { LoopbackNetwork } from './network/loopback.js'
import type { PodNetwork } from './network/network.js'
import { NetnsNetwork } from './network/netns.js'
import { NodeStatusManager } from './node-status.js'
import type { KubeletOptions } from './options.js'
import { PodManager } from './pod-manager.js'
import type { ProcessPort } from './runtime/process.js'

/** Everything a Kubelet needs; ports (client, clock, runner, processes) are injected. */
export interface KubeletDeps {
  options: KubeletOptions
  client: RestClient
  clock: Clock
  logger: Logger
  processes: ProcessPort
  /** Runs `ip` for netns pod networking. */
  runner?: CommandRunner
  /** Bearer tokens the log endpoint accepts. */
  tokens: readonly string[]
  /** The Node binary that runs built-in images and in-namespace probes. */
  execPath: string
  /** PATH for containers and for finding a pod's `command`. */
  pathEnv: string
  kernelVersion: string
  architecture: string
  /** PEMs when serving HTTPS. */
  tls?: { cert: string; key: string }
}

/** One node agent. */
export class Kubelet {
  readonly logServer: KubeletLogServer
  nodeStatus: NodeStatusManager | undefined
  podManager: PodManager | undefined
  network: PodNetwork | undefined
  private server: http.Server | undefined
  private readonly stopper = new AbortController()
  private managerRun: Promise<void> | undefined
  /** The port the endpoint listens on (known after start). */
  port = 0

  constructor(private readonly deps: KubeletDeps) {
    this.logServer = new KubeletLogServer({ lookup: (ns, pod, c) => this.podManager?.lookupLog(ns, pod, c), tokens: deps.tokens, clock: deps.clock })
  }

  /** Listens, registers the node, and (once the pod CIDR is known) starts running pods. */
  async start(): Promise<void> {
    const { options: o, deps } = { options: this.deps.options, deps: this.deps }
    this.server = deps.tls ? https.createServer({ cert: deps.tls.cert, key: deps.tls.key }, this.logServer.handle) : http.createServer(this.logServer.handle)
    this.server.listen(o.port, o.nodeIP)
    await once(this.server, 'listening')
    this.port = (this.server.address() as AddressInfo).port
    this.nodeStatus = new NodeStatusManager({
      client: deps.client,
      clock: deps.clock,
      logger: deps.logger,
      nodeName: o.nodeName,
      nodeIP: o.nodeIP,
      podCidr: o.podCidr,
      kubeletPort: this.port,
      kubeletScheme: deps.tls ? 'https' : 'http',
      capacity: { cpu: o.cpu, memory: o.memory, pods: String(o.maxPods) },
      labels: o.nodeLabels,
      podNetwork: o.podNetwork,
      kernelVersion: deps.kernelVersion,
      architecture: deps.architecture,
      statusUpdateFrequencyMs: o.nodeStatusUpdateFrequencyMs,
      leaseDurationSeconds: o.nodeLeaseDurationSeconds,
    })
    await this.nodeStatus.start()
    const cidr = this.nodeStatus.podCidr
    if (cidr) this.startPods(cidr)
    else {
      deps.logger.info({ node: o.nodeName }, 'waiting for spec.podCIDR (give --pod-cidr or run the controller manager with node IPAM)')
      this.nodeStatus.once('podCIDR', (c: string) => this.startPods(c))
    }
  }

  private startPods(cidr: string): void {
    const { options: o, deps } = { options: this.deps.options, deps: this.deps }
    if (o.podNetwork === 'netns') {
      if (!deps.runner || !o.netns) throw new Error('--pod-network netns needs --netns and a command runner')
      this.network = new NetnsNetwork({ runner: deps.runner, nodeNetns: o.netns, podCidr: cidr, stateDir: o.rootDir })
    } else {
      this.network = new LoopbackNetwork({ podCidr: cidr, stateDir: o.rootDir })
    }
    this.podManager = new PodManager({
      client: deps.client,
      clock: deps.clock,
      nodeName: o.nodeName,
      hostIP: o.nodeIP,
      rootDir: o.rootDir,
      network: this.network,
      processes: deps.processes,
      execPath: deps.execPath,
      pathEnv: deps.pathEnv,
      logger: deps.logger,
      hostNetns: o.podNetwork === 'netns' ? o.netns : undefined,
    })
    this.managerRun = this.podManager.start(this.stopper.signal).catch((e: Error) => deps.logger.error({ err: e.message }, 'pod manager stopped with an error'))
  }

  /** Stops watching and heartbeating and closes the endpoint; pods keep running. */
  async stop(): Promise<void> {
    this.stopper.abort()
    this.nodeStatus?.stop()
    this.podManager?.stop()
    this.logServer.closeAll()
    await this.managerRun
    if (this.server) {
      this.server.closeAllConnections()
      await new Promise<void>((resolve) => this.server!.close(() => resolve()))
    }
  }
}
