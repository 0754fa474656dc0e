// Carves a cluster CIDR into per-node subnets (/24 by default) and tracks which are taken.
// upstream: pkg/controller/nodeipam/ipam/cidrset/cidr_set.go
/** IPv4 dotted quad → 32-bit number. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`"${ip}" is not an IPv4 address`)
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0
}

/** 32-bit number → dotted quad. */
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** The free/used state of every node subnet of a cluster CIDR. */
export class CidrSet {
  private readonly base: number
  private readonly count: number
  private readonly used = new Set<number>()
  private next = 0

  /** `clusterCIDR` like 10.244.0.0/16, `maskSize` the node subnet prefix (24). */
  constructor(
    readonly clusterCIDR: string,
    readonly maskSize = 24,
  ) {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(clusterCIDR)
    if (!m) throw new Error(`--cluster-cidr: "${clusterCIDR}" is not an IPv4 CIDR like 10.244.0.0/16`)
    const prefix = Number(m[2])
    if (maskSize < prefix || maskSize > 30) throw new Error(`--node-cidr-mask-size ${maskSize} must be between the cluster prefix /${prefix} and /30`)
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
    this.base = (ipToInt(m[1]!) & mask) >>> 0
    this.count = 2 ** (maskSize - prefix)
  }

  private subnet(i: number): string {
    return `${intToIp(this.base + i * 2 ** (32 - this.maskSize))}/${this.maskSize}`
  }

  private indexOf(cidr: string): number | undefined {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr)
    if (!m || Number(m[2]) !== this.maskSize) return undefined
    const off = ipToInt(m[1]!) - this.base
    const size = 2 ** (32 - this.maskSize)
    if (off < 0 || off % size !== 0 || off / size >= this.count) return undefined
    return off / size
  }

  /** Marks a subnet taken (a node that already has it); false when it is outside this set. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr)
    if (i === undefined) return false
    this.used.add(i)
    return true
  }

  /** Frees a subnet (its node is gone). */
  release(cidr: string): void {
    const i = this.indexOf(cidr)
    if (i !== undefined) this.used.delete(i)
  }

  /** The next free subnet, scanning round from the last one handed out; throws when full. */
  allocateNext(): string {
    for (let k = 0; k < this.count; k++) {
      const i = (this.next + k) % this.count
      if (this.used.has(i)) continue
      this.used.add(i)
      this.next = (i + 1) % this.count
      return this.subnet(i)
    }
    throw new Error(`CIDR allocation failed: every /${this.maskSize} of ${this.clusterCIDR} is in use; use a larger --cluster-cidr`)
  }
}
