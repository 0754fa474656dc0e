// Validates API objects (from manifests or the API) into the generator's ProxyState, with errors
// that name the offending field.
import type { KubeObject } from '../../api/meta.js'
import type { EndpointSlice, Service } from '../../api/types.js'
import { KplabError } from '../../base/errors.js'
import type { ProxyState } from './generate.js'
import { parseCIDR, parseIP } from './ip.js'

/** An object the proxier cannot use; `field` is a JSON path such as `spec.ports[0].port`. */
export class ProxyInputError extends KplabError {
  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly field: string,
    detail: string,
  ) {
    super('EPROXYINPUT', `${kind} "${objectName}": ${field}: ${detail}`)
  }
}

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP'])

function isPort(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535
}

function validateService(svc: Service): void {
  const name = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? ''}`
  const fail = (field: string, detail: string): never => {
    throw new ProxyInputError('Service', name, field, detail)
  }
  if (typeof svc.spec !== 'object' || svc.spec === null) fail('spec', 'required (a Service needs spec.ports and spec.clusterIP)')
  const spec = svc.spec
  if (spec.type === 'ExternalName') return
  const ip = spec.clusterIP
  if (ip !== undefined && ip !== '' && ip !== 'None' && parseIP(ip) === undefined) fail('spec.clusterIP', `"${ip}" is not an IP address (use an address, "None" or leave it empty)`)
  ;(spec.clusterIPs ?? []).forEach((c, i) => {
    if (c !== 'None' && parseIP(c) === undefined) fail(`spec.clusterIPs[${i}]`, `"${c}" is not an IP address`)
  })
  if (!Array.isArray(spec.ports ?? [])) fail('spec.ports', 'must be a list')
  ;(spec.ports ?? []).forEach((p, i) => {
    if (!isPort(p.port)) fail(`spec.ports[${i}].port`, `${JSON.stringify(p.port)} is not a port number (1-65535)`)
    if (p.protocol !== undefined && !PROTOCOLS.has(p.protocol)) fail(`spec.ports[${i}].protocol`, `"${p.protocol}" is not TCP, UDP or SCTP`)
    if (p.nodePort !== undefined && p.nodePort !== 0 && !isPort(p.nodePort)) fail(`spec.ports[${i}].nodePort`, `${JSON.stringify(p.nodePort)} is not a port number`)
  })
  ;(spec.externalIPs ?? []).forEach((e, i) => {
    if (parseIP(e) === undefined) fail(`spec.externalIPs[${i}]`, `"${e}" is not an IP address`)
  })
  ;(spec.loadBalancerSourceRanges ?? []).forEach((r, i) => {
    if (parseCIDR(String(r).trim()) === undefined || !String(r).includes('/')) fail(`spec.loadBalancerSourceRanges[${i}]`, `"${r}" is not a CIDR (e.g. 203.0.113.0/24)`)
  })
  ;(svc.status?.loadBalancer?.ingress ?? []).forEach((g, i) => {
    if (g.ip !== undefined && parseIP(g.ip) === undefined) fail(`status.loadBalancer.ingress[${i}].ip`, `"${g.ip}" is not an IP address`)
  })
  const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds
  if (t !== undefined && (!Number.isInteger(t) || t < 1 || t > 86400)) fail('spec.sessionAffinityConfig.clientIP.timeoutSeconds', `${t} must be an integer in 1..86400`)
}

function validateSlice(slice: EndpointSlice): void {
  const name = `${slice.metadata.namespace ?? 'default'}/${slice.metadata.name ?? ''}`
  const fail = (field: string, detail: string): never => {
    throw new ProxyInputError('EndpointSlice', name, field, detail)
  }
  if (!['IPv4', 'IPv6', 'FQDN'].includes(slice.addressType)) fail('addressType', `"${slice.addressType}" must be IPv4, IPv6 or FQDN`)
  // kubectl prints `endpoints: null` for an empty slice.
  if (slice.endpoints !== undefined && slice.endpoints !== null && !Array.isArray(slice.endpoints)) fail('endpoints', 'must be a list')
  if (slice.metadata.labels?.['kubernetes.io/service-name'] === undefined) fail('metadata.labels["kubernetes.io/service-name"]', 'required: it names the Service this slice belongs to')
  ;(slice.ports ?? []).forEach((p, i) => {
    if (p.port !== undefined && !isPort(p.port)) fail(`ports[${i}].port`, `${JSON.stringify(p.port)} is not a port number (1-65535)`)
    if (p.protocol !== undefined && !PROTOCOLS.has(p.protocol)) fail(`ports[${i}].protocol`, `"${p.protocol}" is not TCP, UDP or SCTP`)
  })
  if (slice.addressType === 'FQDN') return
  ;(slice.endpoints ?? []).forEach((ep, i) => {
    if (!Array.isArray(ep.addresses) || ep.addresses.length === 0) fail(`endpoints[${i}].addresses`, 'needs at least one address')
    const ip = parseIP(ep.addresses[0]!)
    if (ip === undefined) fail(`endpoints[${i}].addresses[0]`, `"${ep.addresses[0]}" is not an IP address`)
    else if (ip.family !== slice.addressType) fail(`endpoints[${i}].addresses[0]`, `"${ep.addresses[0]}" is not an ${slice.addressType} address`)
  })
}

/** Picks Services and EndpointSlices out of any objects (others are ignored) and validates them. */
export function stateFromObjects(objects: readonly KubeObject[]): ProxyState {
  const services: Service[] = []
  const endpointSlices: EndpointSlice[] = []
  for (const o of objects) {
    if (o.kind === 'Service' && (o.apiVersion === 'v1' || o.apiVersion === undefined)) {
      validateService(o as Service)
      services.push(o as Service)
    } else if (o.kind === 'EndpointSlice') {
      validateSlice(o as EndpointSlice)
      endpointSlices.push(o as EndpointSlice)
    }
  }
  return { services, endpointSlices }
}
