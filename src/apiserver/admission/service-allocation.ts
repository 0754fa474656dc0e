// ClusterIP and NodePort allocation for Services, as upstream's service REST storage does it:
// reserve before the store write, release if the write fails, keep on update, release on delete.
// upstream: pkg/registry/core/service/storage/alloc.go (allocServiceClusterIPs, allocateUpdate, releaseAllocatedResources)
import type { KubeObject } from '../../api/meta.js'
import type { StatusCause } from '../../api/errors.js'
import { field } from '../../api/errors.js'
import { AllocationError } from '../allocators/errors.js'
import { ClusterIPAllocator } from '../allocators/ip-allocator.js'
import { NodePortAllocator } from '../allocators/port-allocator.js'

/** Reservations made for one write: undo them if the write fails, finish them (release the replaced ones) if it succeeds. */
export interface AllocationTxn {
  /** Releases what this write reserved (the write failed or was a dry run). */
  rollback(): void
  /** Releases what the write replaced (old node ports no longer used). */
  commit(): void
}

/** Thrown with the causes when a requested ClusterIP or NodePort cannot be had (the caller makes the 422). */
export class AllocationRejected extends Error {
  constructor(readonly causes: StatusCause[]) {
    super(causes.map((c) => `${c.field}: ${c.message}`).join(', '))
    this.name = 'AllocationRejected'
  }
}

interface ServicePortLike {
  port?: number
  nodePort?: number
  [k: string]: unknown
}
interface ServiceSpecLike {
  type?: string
  clusterIP?: string
  clusterIPs?: string[]
  ports?: ServicePortLike[]
  [k: string]: unknown
}

const specOf = (svc: KubeObject): ServiceSpecLike => {
  if (!svc.spec || typeof svc.spec !== 'object') svc.spec = {}
  return svc.spec as ServiceSpecLike
}
const needsClusterIP = (s: ServiceSpecLike): boolean => s.type !== 'ExternalName' && s.clusterIP !== 'None'
const needsNodePorts = (s: ServiceSpecLike): boolean => s.type === 'NodePort' || s.type === 'LoadBalancer'
const isIP = (s: unknown): s is string => typeof s === 'string' && s !== '' && s !== 'None'

/** The first usable address of an IPv4 CIDR (the `kubernetes` Service's ClusterIP, e.g. 10.96.0.1). */
export function firstServiceIP(cidr: string): string {
  const [base, bits] = cidr.split('/')
  const n = base!.split('.').reduce((acc, p) => acc * 256 + Number(p), 0)
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0
  const first = ((n & mask) >>> 0) + 1
  return [24, 16, 8, 0].map((s) => (first >>> s) & 255).join('.')
}

/** Owns the ClusterIP and NodePort allocators of one API server; every method is synchronous so parallel creates cannot race. */
export class ServiceAllocation {
  readonly ips: ClusterIPAllocator
  readonly ports: NodePortAllocator

  constructor(opts: { serviceClusterIPRange: string; serviceNodePortRange: string }) {
    this.ips = new ClusterIPAllocator(opts.serviceClusterIPRange)
    this.ports = new NodePortAllocator(opts.serviceNodePortRange)
  }

  /** Marks what stored Services already hold (on start); returns problems instead of failing so a bad record cannot stop the server. */
  rebuild(services: KubeObject[]): string[] {
    const problems: string[] = []
    for (const svc of services) {
      const s = (svc.spec ?? {}) as ServiceSpecLike
      const name = `${svc.metadata.namespace}/${svc.metadata.name}`
      if (isIP(s.clusterIP)) {
        try {
          this.ips.allocateSpecific(s.clusterIP)
        } catch (err) {
          problems.push(`${name}: clusterIP ${s.clusterIP}: ${(err as Error).message}`)
        }
      }
      for (const p of s.ports ?? []) {
        if (typeof p.nodePort !== 'number') continue
        try {
          this.ports.allocateSpecific(p.nodePort)
        } catch (err) {
          problems.push(`${name}: nodePort ${p.nodePort}: ${(err as Error).message}`)
        }
      }
    }
    return problems
  }

  /** Reserves the ClusterIP and NodePorts of a new Service, writing the allocated values into it. */
  forCreate(svc: KubeObject): AllocationTxn {
    const s = specOf(svc)
    const taken: { ips: string[]; ports: number[] } = { ips: [], ports: [] }
    const causes: StatusCause[] = []
    if (needsClusterIP(s)) {
      const ip = this.reserveIP(s.clusterIP, taken, causes)
      if (ip) {
        s.clusterIP = ip
        s.clusterIPs = [ip]
      }
    } else if (s.clusterIP === 'None') {
      s.clusterIPs = ['None']
    }
    if (needsNodePorts(s)) this.reservePorts(s, new Map(), taken, causes)
    return this.finish(taken, { ips: [], ports: [] }, causes)
  }

  /**
   * Reserves what an update needs: the ClusterIP is kept (and copied over when the update left it
   * out), node ports are kept per port number, new ones allocated, dropped ones released on commit.
   */
  forUpdate(next: KubeObject, old: KubeObject): AllocationTxn {
    const s = specOf(next)
    const o = (old.spec ?? {}) as ServiceSpecLike
    const taken: { ips: string[]; ports: number[] } = { ips: [], ports: [] }
    const released: { ips: string[]; ports: number[] } = { ips: [], ports: [] }
    const causes: StatusCause[] = []
    if (needsClusterIP(s)) {
      if (isIP(o.clusterIP)) {
        // The ClusterIP is immutable; an update that leaves it out keeps the old one (upstream patchAllocatedValues).
        if (s.clusterIP === undefined || s.clusterIP === '') s.clusterIP = o.clusterIP
        if (s.clusterIP !== o.clusterIP) causes.push(field.invalid('spec.clusterIP', s.clusterIP, 'field is immutable'))
        else s.clusterIPs = [o.clusterIP]
      } else {
        const ip = this.reserveIP(s.clusterIP, taken, causes)
        if (ip) {
          s.clusterIP = ip
          s.clusterIPs = [ip]
        }
      }
    } else if (isIP(o.clusterIP)) {
      released.ips.push(o.clusterIP)
      if (s.type === 'ExternalName') {
        delete s.clusterIP
        delete s.clusterIPs
      }
    }
    const oldPorts = new Map<number, number>()
    for (const p of o.ports ?? []) if (typeof p.nodePort === 'number' && typeof p.port === 'number') oldPorts.set(p.port, p.nodePort)
    const oldSet = new Set((o.ports ?? []).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number'))
    if (needsNodePorts(s)) this.reservePorts(s, oldPorts, taken, causes, oldSet)
    else for (const p of s.ports ?? []) delete p.nodePort
    const kept = new Set((s.ports ?? []).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number'))
    for (const n of oldSet) if (!kept.has(n)) released.ports.push(n)
    return this.finish(taken, released, causes)
  }

  /** Releases everything a deleted Service held. */
  release(svc: KubeObject): void {
    const s = (svc.spec ?? {}) as ServiceSpecLike
    if (isIP(s.clusterIP)) this.ips.release(s.clusterIP)
    for (const p of s.ports ?? []) if (typeof p.nodePort === 'number') this.ports.release(p.nodePort)
  }

  private reserveIP(requested: string | undefined, taken: { ips: string[] }, causes: StatusCause[]): string | undefined {
    try {
      if (isIP(requested)) {
        this.ips.allocateSpecific(requested)
        taken.ips.push(requested)
        return requested
      }
      const ip = this.ips.allocate()
      taken.ips.push(ip)
      return ip
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err
      if (err.kind === 'Full') throw err
      causes.push(err.toCause('spec.clusterIP', requested))
      return undefined
    }
  }

  private reservePorts(s: ServiceSpecLike, oldByPort: Map<number, number>, taken: { ports: number[] }, causes: StatusCause[], oldSet = new Set<number>()): void {
    const inThis = new Set<number>()
    ;(s.ports ?? []).forEach((p, i) => {
      const path = `spec.ports[${i}].nodePort`
      let want = typeof p.nodePort === 'number' && p.nodePort !== 0 ? p.nodePort : undefined
      if (want === undefined && typeof p.port === 'number' && oldByPort.has(p.port)) want = oldByPort.get(p.port)
      try {
        if (want !== undefined) {
          if (inThis.has(want)) {
            causes.push(field.duplicate(path, want))
            return
          }
          // A port this Service already holds is kept, not re-reserved.
          if (!oldSet.has(want)) {
            this.ports.allocateSpecific(want)
            taken.ports.push(want)
          }
          p.nodePort = want
        } else {
          const n = this.ports.allocate()
          taken.ports.push(n)
          p.nodePort = n
        }
        inThis.add(p.nodePort)
      } catch (err) {
        if (!(err instanceof AllocationError)) throw err
        if (err.kind === 'Full') throw err
        causes.push(err.toCause(path, want))
      }
    })
  }

  private finish(taken: { ips: string[]; ports: number[] }, released: { ips: string[]; ports: number[] }, causes: StatusCause[]): AllocationTxn {
    let done = false
    const rollback = (): void => {
      if (done) return
      done = true
      for (const ip of taken.ips) this.ips.release(ip)
      for (const p of taken.ports) this.ports.release(p)
    }
    if (causes.length > 0) {
      rollback()
      throw new AllocationRejected(causes)
    }
    return {
      rollback,
      commit: () => {
        if (done) return
        done = true
        for (const ip of released.ips) this.ips.release(ip)
        for (const p of released.ports) this.ports.release(p)
      },
    }
  }
}
