// Host-local IPAM: addresses of the node's pod CIDR handed out to pods, recorded in a JSON file
// that is rewritten (atomically) on every change, so a restarted kubelet never hands out an address
// a running pod holds and never leaks one.
// upstream idea: containernetworking/plugins plugins/ipam/host-local (one file per address).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Thrown when the pod CIDR has no free address left. */
export class IpamExhaustedError extends Error {
  constructor(cidr: string, used: number) {
    super(`no free pod address in ${cidr} (${used} in use): raise --max-pods or give the node a larger --pod-cidr`)
  }
}

/** An IPv4 CIDR as numbers. */
export interface Ipv4Cidr {
  base: number
  bits: number
}

/** Parses `10.244.1.0/24`; throws a message naming the flag on anything else. */
export function parseCidr(cidr: string): Ipv4Cidr {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr)
  const octets = m ? m.slice(1, 5).map(Number) : []
  const bits = m ? Number(m[5]) : -1
  if (!m || octets.some((o) => o > 255) || bits < 8 || bits > 30) {
    throw new TypeError(`invalid pod CIDR ${JSON.stringify(cidr)}: use an IPv4 CIDR with a prefix of /8 to /30, such as 10.244.1.0/24`)
  }
  const n = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  return { base: (n & mask) >>> 0, bits }
}

/** A number as a dotted IPv4 address. */
export function ipString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** The address of a dotted IPv4 string as a number. */
export function ipNumber(ip: string): number {
  const o = ip.split('.').map(Number)
  return ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0
}

/** The gateway of a pod CIDR (its first address, on the node's bridge). */
export function gatewayOf(cidr: string): string {
  return ipString(parseCidr(cidr).base + 1)
}

/** Allocations of one CIDR kept in a file: address → owner (the pod UID). */
export class HostLocalIpam {
  private readonly owners = new Map<string, string>()
  private readonly cidr: Ipv4Cidr

  /** Reads the file if it exists; `first` is the first address offset handed out (2 leaves .1 to the gateway). */
  constructor(private readonly file: string, private readonly cidrText: string, private readonly first = 2) {
    this.cidr = parseCidr(cidrText)
    let saved: Record<string, string> = {}
    try {
      saved = (JSON.parse(readFileSync(file, 'utf8')) as { cidr?: string; allocations?: Record<string, string> }).allocations ?? {}
    } catch {
      // No file yet (first start): nothing allocated.
    }
    for (const [ip, owner] of Object.entries(saved)) if (this.contains(ip)) this.owners.set(ip, owner)
  }

  /** The address owned by owner, allocating the lowest free one when it has none. */
  allocate(owner: string): string {
    const have = this.addressOf(owner)
    if (have) return have
    const size = 2 ** (32 - this.cidr.bits)
    for (let off = this.first; off < size - 1; off++) {
      const ip = ipString(this.cidr.base + off)
      if (!this.owners.has(ip)) {
        this.owners.set(ip, owner)
        this.save()
        return ip
      }
    }
    throw new IpamExhaustedError(this.cidrText, this.owners.size)
  }

  /** Frees the owner's address; returns it (undefined when it had none). */
  release(owner: string): string | undefined {
    const ip = this.addressOf(owner)
    if (ip === undefined) return undefined
    this.owners.delete(ip)
    this.save()
    return ip
  }

  /** The owner's address, if any. */
  addressOf(owner: string): string | undefined {
    for (const [ip, o] of this.owners) if (o === owner) return ip
    return undefined
  }

  /** Every allocation, address → owner. */
  allocations(): Record<string, string> {
    return Object.fromEntries(this.owners)
  }

  private contains(ip: string): boolean {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false
    const size = 2 ** (32 - this.cidr.bits)
    const n = ipNumber(ip)
    return n >= this.cidr.base && n < this.cidr.base + size
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true })
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, JSON.stringify({ cidr: this.cidrText, allocations: Object.fromEntries(this.owners) }, null, 2))
    renameSync(tmp, this.file)
  }
}
