// Endpoints (core/v1) and EndpointSlice (discovery.k8s.io/v1) validation.
// upstream: pkg/apis/core/validation/validation.go (ValidateEndpoints) and pkg/apis/discovery/validation/validation.go
import type { StatusCause } from '../errors.js'
import { field } from '../errors.js'
import type { KubeObject } from '../meta.js'
import { validateProtocol } from './container.js'
import { asList, asStr, invalidEach, nameFn, tooMany, validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './meta.js'
import { isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidIPOfFamily, isValidPortNum } from './names.js'

/** upstream maxEndpoints: the most endpoints one slice may hold. */
export const MAX_ENDPOINTS = 1000
/** upstream maxAddresses per endpoint. */
export const MAX_ADDRESSES = 100
/** upstream maxPorts per slice. */
export const MAX_PORTS = 20000
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6']

function validateSliceEndpoints(obj: KubeObject): StatusCause[] {
  const out: StatusCause[] = []
  const endpoints = asList(obj.endpoints)
  if (endpoints.length > MAX_ENDPOINTS) out.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS))
  const type = obj.addressType
  endpoints.forEach((ep, i) => {
    const at = `endpoints[${i}]`
    const addresses = Array.isArray(ep.addresses) ? ep.addresses : []
    if (addresses.length === 0) out.push(field.required(`${at}.addresses`, 'must contain at least 1 address'))
    else if (addresses.length > MAX_ADDRESSES) out.push(tooMany(`${at}.addresses`, addresses.length, MAX_ADDRESSES))
    addresses.forEach((a, j) => {
      const addr = asStr(a)
      const path = `${at}.addresses[${j}]`
      if (type === 'IPv4' || type === 'IPv6') out.push(...invalidEach(path, a, isValidIPOfFamily(addr, type)))
      else if (type === 'FQDN') out.push(...invalidEach(path, a, isDNS1123Subdomain(addr)))
    })
    if (asStr(ep.nodeName)) out.push(...invalidEach(`${at}.nodeName`, ep.nodeName, isDNS1123Subdomain(asStr(ep.nodeName))))
    if (asStr(ep.hostname)) out.push(...invalidEach(`${at}.hostname`, ep.hostname, isDNS1123Label(asStr(ep.hostname))))
  })
  return out
}

function validateSlicePorts(ports: unknown): StatusCause[] {
  const out: StatusCause[] = []
  const list = asList(ports)
  if (list.length > MAX_PORTS) out.push(tooMany('ports', list.length, MAX_PORTS))
  const names = new Set<string>()
  list.forEach((p, i) => {
    const at = `ports[${i}]`
    const name = asStr(p.name)
    if (name) out.push(...invalidEach(`${at}.name`, name, isDNS1123Label(name)))
    // upstream: an empty name is a name too; two unnamed ports collide
    if (names.has(name)) out.push(field.duplicate(`${at}.name`, name))
    names.add(name)
    out.push(...validateProtocol(p.protocol, `${at}.protocol`))
    if (p.port !== undefined && p.port !== null) out.push(...invalidEach(`${at}.port`, p.port, isValidPortNum(p.port)))
  })
  return out
}

/** Validates an EndpointSlice on create, or on update when old is given (addressType is immutable). */
export function validateEndpointSlice(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj.metadata, true, nameFn(isDNS1123Subdomain))
  const type = obj.addressType
  if (type === undefined || type === '') out.push(field.required('addressType'))
  else if (!ADDRESS_TYPES.includes(type as string)) out.push(field.notSupported('addressType', type, ADDRESS_TYPES))
  out.push(...validateSliceEndpoints(obj))
  out.push(...validateSlicePorts(obj.ports))
  if (old) {
    out.push(...validateObjectMetaUpdate(obj.metadata, old.metadata))
    out.push(...validateImmutable(obj.addressType, old.addressType, 'addressType'))
  }
  return out
}

/** Validates core/v1 Endpoints: each subset has addresses and ports; IPs and ports well-formed. */
export function validateEndpoints(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj.metadata, true, nameFn(isDNS1123Subdomain))
  asList(obj.subsets).forEach((ss, i) => {
    const at = `subsets[${i}]`
    const ready = asList(ss.addresses)
    const notReady = asList(ss.notReadyAddresses)
    if (ready.length === 0 && notReady.length === 0) out.push(field.required(at, 'must specify `addresses` or `notReadyAddresses`'))
    for (const [key, list] of [['addresses', ready], ['notReadyAddresses', notReady]] as const) {
      list.forEach((a, j) => {
        out.push(...invalidEach(`${at}.${key}[${j}].ip`, a.ip, isValidIP(asStr(a.ip))))
        if (asStr(a.nodeName)) out.push(...invalidEach(`${at}.${key}[${j}].nodeName`, a.nodeName, isDNS1123Subdomain(asStr(a.nodeName))))
      })
    }
    const ports = asList(ss.ports)
    if (ports.length === 0) out.push(field.required(`${at}.ports`))
    ports.forEach((p, j) => {
      const pp = `${at}.ports[${j}]`
      const name = asStr(p.name)
      if (ports.length > 1 && !name) out.push(field.required(`${pp}.name`))
      if (name) out.push(...invalidEach(`${pp}.name`, name, isDNS1123Label(name)))
      out.push(...invalidEach(`${pp}.port`, p.port ?? 0, isValidPortNum(p.port ?? 0)))
      out.push(...validateProtocol(p.protocol, `${pp}.protocol`))
    })
  })
  if (old) out.push(...validateObjectMetaUpdate(obj.metadata, old.metadata))
  return out
}

