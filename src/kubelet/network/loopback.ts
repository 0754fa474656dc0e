// Pod networking without root: every pod gets its own loopback address. Linux routes all of
// 127.0.0.0/8 to lo, so a process can bind 127.a.b.c with no setup at all, and pods on one host keep
// distinct IPs and ports. The pod CIDR 10.244.i.0/24 maps to 127.244.i.0/24, so kubelets of one
// host (one per node) never collide.
import { join } from 'node:path'
import { HostLocalIpam, ipString, parseCidr } from './ipam.js'
import type { PodNetwork, PodSandbox } from './network.js'

/** The loopback CIDR standing in for a pod CIDR: 127 followed by the CIDR's 2nd-4th octets. */
export function loopbackCidr(podCidr: string): string {
  const c = parseCidr(podCidr)
  const bits = Math.max(c.bits, 8)
  const base = ((127 << 24) | (c.base & 0x00ffffff)) >>> 0
  return `${ipString(base)}/${bits}`
}

/** Loopback pod addresses from a file-backed IPAM under stateDir. */
export class LoopbackNetwork implements PodNetwork {
  readonly mode = 'loopback' as const
  private readonly ipam: HostLocalIpam
  readonly cidr: string

  constructor(opts: { podCidr: string; stateDir: string }) {
    this.cidr = loopbackCidr(opts.podCidr)
    this.ipam = new HostLocalIpam(join(opts.stateDir, 'ipam.json'), this.cidr)
  }

  async setup(pod: { uid: string }): Promise<PodSandbox> {
    const ip = this.ipam.allocate(pod.uid)
    return { podIP: ip, bindAddress: ip }
  }

  async teardown(uid: string): Promise<void> {
    this.ipam.release(uid)
  }

  addressOf(uid: string): string | undefined {
    return this.ipam.addressOf(uid)
  }
}
