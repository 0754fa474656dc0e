// Informer events for Services → pending changes → the ServicePortMap both proxy modes sync from.
// upstream: pkg/proxy/servicechangetracker.go (ServiceChangeTracker, ServicePortMap.Update)
import type { Service } from '../api/types.js'
import type { IPFamily } from './iptables/ip.js'
import { servicePortsOf, type ServicePortInfo } from './iptables/service-port.js'

/** Annotation choosing the userspace balancing algorithm of a Service. */
export const LB_ALGORITHM_ANNOTATION = 'kplab.io/lb-algorithm'
/** Annotation carrying the algorithm's parameters as a JSON object. */
export const LB_PARAMS_ANNOTATION = 'kplab.io/lb-params'

/** One service port with everything either mode needs (the iptables generator's info plus L7 and lb fields). */
export interface ProxyServicePort extends ServicePortInfo {
  /** `spec.ports[i].appProtocol` (`http` selects the L7 path in userspace mode). */
  appProtocol: string | undefined
  /** `spec.ports[i].targetPort`, for display (endpoints carry the resolved port). */
  targetPort: number | string | undefined
  /** The `kplab.io/lb-algorithm` annotation, verbatim (undefined: the proxy's default). */
  lbAlgorithm: string | undefined
  /** The `kplab.io/lb-params` annotation, verbatim. */
  lbParams: string | undefined
  /** The Service's uid, to address Events to it. */
  serviceUid: string | undefined
}

/** Service ports keyed by ServicePortName string (`ns/name:port`). */
export type ServicePortMap = Map<string, ProxyServicePort>

/** Builds the proxy's service ports of one Service (none for headless and ExternalName Services). */
export function proxyServicePorts(svc: Service, family: IPFamily = 'IPv4'): ProxyServicePort[] {
  const infos = servicePortsOf(svc, family)
  const ann = svc.metadata.annotations ?? {}
  return infos.map((info, i) => {
    const sp = svc.spec.ports?.[i]
    return {
      ...info,
      appProtocol: sp?.appProtocol,
      targetPort: sp?.targetPort,
      lbAlgorithm: ann[LB_ALGORITHM_ANNOTATION],
      lbParams: ann[LB_PARAMS_ANNOTATION],
      serviceUid: svc.metadata.uid,
    }
  })
}

interface Change {
  previous: ProxyServicePort[]
  current: ProxyServicePort[]
}

/** What applying the pending changes did. */
export interface UpdateServiceMapResult {
  /** `namespace/name` of every Service whose ports changed. */
  updatedServices: Set<string>
}

/**
 * Accumulates Service changes between syncs: `{previous, current}` per Service, where a change
 * that returns to the previous state is dropped, as upstream.
 */
export class ServiceChangeTracker {
  private readonly items = new Map<string, Change>()

  constructor(private readonly family: IPFamily = 'IPv4') {}

  /** Records an add (previous undefined), update, or delete (current undefined); true if anything is pending. */
  update(previous: Service | undefined, current: Service | undefined): boolean {
    const svc = current ?? previous
    if (svc === undefined) return false
    const key = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? ''}`
    let change = this.items.get(key)
    if (change === undefined) {
      change = { previous: previous === undefined ? [] : proxyServicePorts(previous, this.family), current: [] }
      this.items.set(key, change)
    }
    change.current = current === undefined ? [] : proxyServicePorts(current, this.family)
    if (JSON.stringify(change.previous) === JSON.stringify(change.current)) this.items.delete(key)
    return this.items.size > 0
  }

  /** Whether changes wait for the next sync. */
  get pending(): boolean {
    return this.items.size > 0
  }

  /** Applies and clears the pending changes on `map`. */
  // upstream: pkg/proxy/servicechangetracker.go (ServicePortMap.Update, apply)
  applyTo(map: ServicePortMap): UpdateServiceMapResult {
    const updatedServices = new Set<string>()
    for (const [key, change] of this.items) {
      updatedServices.add(key)
      for (const p of change.previous) map.delete(p.nameString)
      for (const p of change.current) map.set(p.nameString, p)
    }
    this.items.clear()
    return { updatedServices }
  }
}
