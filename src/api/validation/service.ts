// Service validation: ports, type, cluster IPs, affinity, traffic policies, and what may not change.
// upstream: pkg/apis/core/validation/validation.go (ValidateService, validateServicePort, ValidateServiceUpdate)
import type { StatusCause } from '../errors.js'
import { field } from '../errors.js'
import type { KubeObject } from '../meta.js'
import { validatePortNumOrName, validateProtocol } from './container.js'
import { asList, asObj, asStr, invalidEach, nameFn, validateObjectMeta, validateObjectMetaUpdate, type Obj } from './meta.js'
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidCIDR, isValidIP, isValidPortNum } from './names.js'

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const AFFINITIES = ['ClientIP', 'None']
const TRAFFIC_POLICIES = ['Cluster', 'Local']
const IP_FAMILIES = ['IPv4', 'IPv6']
const IP_FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack']
/** upstream MaxClientIPServiceAffinitySeconds (one day). */
export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400

function validatePorts(spec: Obj): StatusCause[] {
  const out: StatusCause[] = []
  const ports = asList(spec.ports)
  const type = spec.type
  const headless = spec.clusterIP === 'None'
  if (ports.length === 0 && type !== 'ExternalName' && !headless) out.push(field.required('spec.ports'))
  const names = new Set<string>()
  const seen = new Set<string>()
  const nodePorts = new Set<string>()
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`
    const name = asStr(p.name)
    // upstream: names are optional only for a single port, since endpoints match ports by name
    if (ports.length > 1 && !name) out.push(field.required(`${at}.name`))
    if (name) {
      out.push(...invalidEach(`${at}.name`, name, isDNS1123Label(name)))
      if (names.has(name)) out.push(field.duplicate(`${at}.name`, name))
      names.add(name)
    }
    out.push(...invalidEach(`${at}.port`, p.port ?? 0, isValidPortNum(p.port ?? 0)))
    out.push(...validateProtocol(p.protocol, `${at}.protocol`))
    if (p.targetPort !== undefined) out.push(...validatePortNumOrName(p.targetPort, `${at}.targetPort`))
    const key = `${p.port}/${p.protocol}`
    if (seen.has(key)) out.push(field.duplicate(at, { port: p.port, protocol: p.protocol }))
    seen.add(key)
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type !== 'NodePort' && type !== 'LoadBalancer') {
        out.push(field.forbidden(`${at}.nodePort`, `may not be used when \`type\` is '${asStr(type)}'`))
      } else {
        out.push(...invalidEach(`${at}.nodePort`, p.nodePort, isValidPortNum(p.nodePort)))
        const np = `${p.nodePort}/${p.protocol}`
        if (nodePorts.has(np)) out.push(field.duplicate(`${at}.nodePort`, p.nodePort))
        nodePorts.add(np)
      }
    }
    if (p.appProtocol !== undefined && !asStr(p.appProtocol)) out.push(field.invalid(`${at}.appProtocol`, p.appProtocol, 'must be a non-empty string'))
  })
  return out
}

function validateClusterIPs(spec: Obj): StatusCause[] {
  const out: StatusCause[] = []
  const clusterIP = asStr(spec.clusterIP)
  if (spec.type === 'ExternalName') {
    if (clusterIP) out.push(field.forbidden('spec.clusterIP', 'may not be set for ExternalName services'))
    return out
  }
  if (clusterIP && clusterIP !== 'None') out.push(...invalidEach('spec.clusterIP', clusterIP, isValidIP(clusterIP)))
  if (clusterIP === 'None' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    out.push(field.invalid('spec.clusterIP', clusterIP, `may not be set to 'None' for ${asStr(spec.type)} services`))
  }
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(asStr) : []
  ips.forEach((ip, i) => {
    if (ip !== 'None' && isValidIP(ip).length > 0) out.push(field.invalid(`spec.clusterIPs[${i}]`, ip, "must be empty, 'None', or a valid IP address"))
  })
  if (ips.length > 0 && clusterIP && ips[0] !== clusterIP) {
    out.push(field.invalid('spec.clusterIPs', spec.clusterIPs, 'first value must match `clusterIP`'))
  }
  if (ips.length > 2) out.push(field.invalid('spec.clusterIPs', spec.clusterIPs, 'may only hold up to 2 values'))
  return out
}

function validateAffinity(spec: Obj): StatusCause[] {
  const out: StatusCause[] = []
  const affinity = spec.sessionAffinity
  if (affinity === undefined || affinity === '') out.push(field.required('spec.sessionAffinity'))
  else if (!AFFINITIES.includes(affinity as string)) out.push(field.notSupported('spec.sessionAffinity', affinity, AFFINITIES))
  const config = spec.sessionAffinityConfig
  if (affinity === 'ClientIP') {
    const timeout = asObj(asObj(config).clientIP).timeoutSeconds
    const path = 'spec.sessionAffinityConfig.clientIP.timeoutSeconds'
    if (timeout === undefined) out.push(field.required(path))
    else if (!Number.isInteger(timeout) || (timeout as number) <= 0 || (timeout as number) > MAX_CLIENT_IP_AFFINITY_SECONDS) {
      out.push(field.invalid(path, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`))
    }
  } else if (affinity === 'None' && config !== undefined && config !== null && Object.keys(asObj(config)).length > 0) {
    out.push(field.invalid('spec.sessionAffinityConfig', config, `must not be set when session affinity is None`))
  }
  return out
}

/** upstream apiservice.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs. */
export function externallyAccessible(spec: Obj): boolean {
  const type = spec.type
  return type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
}

function validateTrafficPolicies(spec: Obj): StatusCause[] {
  const out: StatusCause[] = []
  const type = spec.type
  const etp = spec.externalTrafficPolicy
  // upstream: validateServiceExternalTrafficPolicy
  if (externallyAccessible(spec)) {
    if (etp === undefined || etp === '') out.push(field.required('spec.externalTrafficPolicy'))
    else if (!TRAFFIC_POLICIES.includes(etp as string)) out.push(field.notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES))
  } else if (etp !== undefined && etp !== '') {
    out.push(field.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'))
  }
  const itp = spec.internalTrafficPolicy
  if (itp !== undefined && itp !== '' && !TRAFFIC_POLICIES.includes(itp as string)) {
    out.push(field.notSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES))
  }
  if (spec.healthCheckNodePort !== undefined && spec.healthCheckNodePort !== 0 && !(type === 'LoadBalancer' && etp === 'Local')) {
    out.push(field.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
  }
  return out
}

function validateAddresses(spec: Obj): StatusCause[] {
  const out: StatusCause[] = []
  ;(Array.isArray(spec.externalIPs) ? spec.externalIPs : []).forEach((ip, i) => {
    out.push(...invalidEach(`spec.externalIPs[${i}]`, ip, isValidIP(asStr(ip))))
  })
  const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : []
  if (ranges.length > 0 && spec.type !== 'LoadBalancer') {
    out.push(field.forbidden('spec.loadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"))
  }
  ranges.forEach((r, i) => out.push(...invalidEach(`spec.loadBalancerSourceRanges[${i}]`, r, isValidCIDR(asStr(r).trim()))))
  if (asStr(spec.loadBalancerIP) && spec.type !== 'LoadBalancer') {
    out.push(field.forbidden('spec.loadBalancerIP', "may only be used when `type` is 'LoadBalancer'"))
  }
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : []
  families.forEach((f, i) => {
    if (!IP_FAMILIES.includes(f as string)) out.push(field.notSupported(`spec.ipFamilies[${i}]`, f, IP_FAMILIES))
  })
  if (families.length === 2 && families[0] === families[1]) out.push(field.duplicate('spec.ipFamilies[1]', families[1]))
  const policy = spec.ipFamilyPolicy
  if (policy !== undefined && policy !== '' && !IP_FAMILY_POLICIES.includes(policy as string)) {
    out.push(field.notSupported('spec.ipFamilyPolicy', policy, IP_FAMILY_POLICIES))
  }
  return out
}

/** upstream ValidateService (spec part). */
export function validateServiceSpec(spec: unknown): StatusCause[] {
  const s = asObj(spec)
  const out: StatusCause[] = []
  const type = s.type
  if (type === undefined || type === '') out.push(field.required('spec.type'))
  else if (!TYPES.includes(type as string)) out.push(field.notSupported('spec.type', type, TYPES))
  if (type === 'ExternalName') {
    const name = asStr(s.externalName)
    if (!name) out.push(field.required('spec.externalName'))
    else out.push(...invalidEach('spec.externalName', name, isDNS1123Subdomain(name.replace(/\.$/, ''))))
  }
  out.push(...validatePorts(s))
  out.push(...validateClusterIPs(s))
  out.push(...validateAffinity(s))
  out.push(...validateTrafficPolicies(s))
  out.push(...validateAddresses(s))
  return out
}

/** upstream ValidateServiceUpdate: clusterIP never changes, except around ExternalName. */
export function validateServiceUpdate(spec: unknown, oldSpec: unknown): StatusCause[] {
  const s = asObj(spec)
  const o = asObj(oldSpec)
  if (s.type === 'ExternalName' || o.type === 'ExternalName') return []
  const oldIP = asStr(o.clusterIP)
  if (oldIP && asStr(s.clusterIP) !== oldIP) return [field.invalid('spec.clusterIP', s.clusterIP ?? '', 'field is immutable')]
  return []
}

/** Validates a Service on create, or on update when old is given. */
export function validateService(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj.metadata, true, nameFn(isDNS1035Label))
  out.push(...validateServiceSpec(obj.spec))
  asList(asObj(asObj(obj.status).loadBalancer).ingress).forEach((ing, i) => {
    if (asStr(ing.ip)) out.push(...invalidEach(`status.loadBalancer.ingress[${i}].ip`, ing.ip, isValidIP(asStr(ing.ip))))
  })
  if (old) {
    out.push(...validateObjectMetaUpdate(obj.metadata, old.metadata))
    out.push(...validateServiceUpdate(obj.spec, old.spec))
  }
  return out
}

