// Pod networking as root: each pod gets its own network namespace, a veth whose peer is enslaved to
// the node's bridge (inside the node's namespace, never the host's), an address from the node's pod
// CIDR (file-backed IPAM) and a default route via the bridge. Every command goes through the
// CommandRunner and src/netns/ plan steps, which refuse to touch the root namespace.
// upstream idea: containernetworking/plugins plugins/main/bridge (what kubenet did).
import { join } from 'node:path'
import type { CommandRunner } from '../../netns/exec.js'
import { addressStep, bridgeStep, linkUpStep, masterStep, routeStep, vethStep } from '../../netns/links.js'
import { createNamespaceSteps, deleteNamespace, listNamespaces } from '../../netns/namespace.js'
import { runStep, runSteps, type Step } from '../../netns/step.js'
import { HostLocalIpam, gatewayOf, parseCidr } from './ipam.js'
import type { PodNetwork, PodSandbox } from './network.js'

/** Options of a NetnsNetwork. */
export interface NetnsNetworkOptions {
  runner: CommandRunner
  /** The node's namespace, where the bridge lives. */
  nodeNetns: string
  podCidr: string
  stateDir: string
  /** Bridge name in the node namespace (default cbr0, as kubenet). */
  bridge?: string
}

/** The pod namespace name for a pod UID: the node namespace name plus `-p` and 8 UID characters. */
export function podNetnsName(nodeNetns: string, uid: string): string {
  return `${nodeNetns}-p${uid.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`
}

/** The host-side veth name for a pod UID (at most 15 characters). */
export function hostVethName(uid: string): string {
  return `veth${uid.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`
}

/** The steps that give a pod its namespace, veth on the bridge, address and default route (pure). */
export function podSetupSteps(o: { nodeNetns: string; podNetns: string; hostVeth: string; bridge: string; ip: string; prefixBits: number; gateway: string }): Step[] {
  return [
    ...createNamespaceSteps(o.podNetns),
    vethStep({ netns: o.podNetns, name: 'eth0' }, { netns: o.nodeNetns, name: o.hostVeth }),
    masterStep(o.nodeNetns, o.hostVeth, o.bridge),
    linkUpStep(o.nodeNetns, o.hostVeth),
    addressStep(o.podNetns, 'eth0', `${o.ip}/${o.prefixBits}`),
    linkUpStep(o.podNetns, 'eth0'),
    routeStep(o.podNetns, { to: 'default', via: o.gateway }),
  ]
}

/** Pod namespaces on the node's bridge. */
export class NetnsNetwork implements PodNetwork {
  readonly mode = 'netns' as const
  private readonly ipam: HostLocalIpam
  private readonly bridge: string
  /** The one bridge set-up in flight or done: pods starting together must not race to create it. */
  private bridgeReady: Promise<void> | undefined

  constructor(private readonly opts: NetnsNetworkOptions) {
    this.ipam = new HostLocalIpam(join(opts.stateDir, 'ipam.json'), opts.podCidr)
    this.bridge = opts.bridge ?? 'cbr0'
  }

  async setup(pod: { uid: string }): Promise<PodSandbox> {
    await this.ensureBridge()
    const podNetns = podNetnsName(this.opts.nodeNetns, pod.uid)
    const ip = this.ipam.allocate(pod.uid)
    const existing = await listNamespaces(this.opts.runner, podNetns)
    if (existing.includes(podNetns)) return { podIP: ip, netns: podNetns, bindAddress: '0.0.0.0' }
    const steps = podSetupSteps({
      nodeNetns: this.opts.nodeNetns,
      podNetns,
      hostVeth: hostVethName(pod.uid),
      bridge: this.bridge,
      ip,
      prefixBits: parseCidr(this.opts.podCidr).bits,
      gateway: gatewayOf(this.opts.podCidr),
    })
    try {
      await runSteps(this.opts.runner, steps)
    } catch (e) {
      // Half-built: remove the namespace (the veth goes with it) so the next attempt starts clean.
      await deleteNamespace(this.opts.runner, podNetns).catch(() => false)
      throw e
    }
    return { podIP: ip, netns: podNetns, bindAddress: '0.0.0.0' }
  }

  async teardown(uid: string): Promise<void> {
    await deleteNamespace(this.opts.runner, podNetnsName(this.opts.nodeNetns, uid))
    this.ipam.release(uid)
  }

  addressOf(uid: string): string | undefined {
    return this.ipam.addressOf(uid)
  }

  /** Creates the bridge with the gateway address when the node namespace has none yet. */
  private ensureBridge(): Promise<void> {
    // A failed attempt is forgotten so the next pod retries it.
    this.bridgeReady ??= this.createBridge().catch((e: unknown) => {
      this.bridgeReady = undefined
      throw e
    })
    return this.bridgeReady
  }

  private async createBridge(): Promise<void> {
    const { nodeNetns, runner } = this.opts
    const show = await runStep(runner, { op: 'ip', netns: nodeNetns, args: ['link', 'show', this.bridge] }, { allowFailure: true })
    if (show.code !== 0) {
      const bits = parseCidr(this.opts.podCidr).bits
      await runSteps(runner, [bridgeStep(nodeNetns, this.bridge), addressStep(nodeNetns, this.bridge, `${gatewayOf(this.opts.podCidr)}/${bits}`), linkUpStep(nodeNetns, this.bridge)])
    }
  }
}
