// Container validation: names, images, ports, env, mounts, probes.
// upstream: pkg/apis/core/validation/validation.go (validateContainers, validateContainerPorts, validateEnv, validateProbe)
import type { StatusCause } from '../errors.js'
import { field } from '../errors.js'
import { asList, asObj, asStr, invalidEach, type Obj } from './meta.js'
import { inclusiveRangeError, isDNS1123Label, isEnvVarName, isValidPortName, isValidPortNum } from './names.js'

/** Protocols a port may use, in upstream's (sorted) order for messages. */
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never']

/** A port given as number or IANA name (probe ports, Service targetPort): upstream ValidatePortNumOrName. */
export function validatePortNumOrName(v: unknown, path: string): StatusCause[] {
  if (typeof v === 'number') return invalidEach(path, v, isValidPortNum(v))
  if (typeof v === 'string') {
    if (v === '') return [field.required(path)]
    // A numeric string is how YAML users sometimes write a port; upstream's IntOrString would decode it as a string name.
    return invalidEach(path, v, isValidPortName(v))
  }
  return [field.invalid(path, v, 'must be an integer or a string')]
}

/** upstream validateContainerPorts. */
export function validateContainerPorts(ports: unknown, path: string, hostNetwork: boolean): StatusCause[] {
  const out: StatusCause[] = []
  const names = new Set<string>()
  asList(ports).forEach((p, i) => {
    const at = `${path}[${i}]`
    const name = asStr(p.name)
    if (name) {
      out.push(...invalidEach(`${at}.name`, name, isValidPortName(name)))
      if (names.has(name)) out.push(field.duplicate(`${at}.name`, name))
      names.add(name)
    }
    if (p.containerPort === undefined || p.containerPort === 0) out.push(field.required(`${at}.containerPort`))
    else out.push(...invalidEach(`${at}.containerPort`, p.containerPort, isValidPortNum(p.containerPort)))
    if (p.hostPort !== undefined && p.hostPort !== 0) {
      out.push(...invalidEach(`${at}.hostPort`, p.hostPort, isValidPortNum(p.hostPort)))
      if (hostNetwork && p.hostPort !== p.containerPort) {
        out.push(field.invalid(`${at}.hostPort`, p.hostPort, 'must match `containerPort` when `hostNetwork` is true'))
      }
    }
    out.push(...validateProtocol(p.protocol, `${at}.protocol`))
  })
  return out
}

/** A required protocol (defaults fill TCP first). */
export function validateProtocol(v: unknown, path: string): StatusCause[] {
  if (v === undefined || v === '') return [field.required(path)]
  return (PROTOCOLS as readonly string[]).includes(v as string) ? [] : [field.notSupported(path, v, PROTOCOLS)]
}

function validateEnv(env: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = []
  asList(env).forEach((e, i) => {
    const at = `${path}[${i}].name`
    const name = asStr(e.name)
    if (!name) out.push(field.required(at))
    else out.push(...invalidEach(at, name, isEnvVarName(name)))
    if (e.value !== undefined && e.valueFrom !== undefined) {
      out.push(field.invalid(`${path}[${i}].valueFrom`, '', 'may not be specified when `value` is not empty'))
    }
  })
  return out
}

function validateNonNegative(o: Obj, key: string, path: string, min = 0): StatusCause[] {
  const v = o[key]
  if (v === undefined) return []
  if (!Number.isInteger(v) || (v as number) < min) {
    return [field.invalid(`${path}.${key}`, v, min === 0 ? 'must be greater than or equal to 0' : `must be greater than or equal to ${min}`)]
  }
  return []
}

// upstream: staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go (splitREString)
const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/

/** Resource quantities (`100m`, `64Mi`, `1e3`): syntax as upstream's decoder accepts it, never negative. */
export function validateResourceQuantities(resources: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = []
  const r = asObj(resources)
  for (const kind of ['limits', 'requests']) {
    for (const [name, q] of Object.entries(asObj(r[kind]))) {
      const at = `${path}.${kind}[${name}]`
      const text = typeof q === 'number' ? String(q) : asStr(q)
      if (!QUANTITY_RE.test(text)) {
        out.push(field.invalid(at, q, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"))
      } else if (text.startsWith('-')) out.push(field.invalid(at, q, 'must be greater than or equal to 0'))
    }
  }
  return out
}

/** upstream validateProbe and validateHandler: exactly one handler, positive timings. */
export function validateProbe(probe: unknown, path: string): StatusCause[] {
  if (probe === undefined || probe === null) return []
  const p = asObj(probe)
  const out: StatusCause[] = []
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => p[h] !== undefined && p[h] !== null)
  if (handlers.length === 0) out.push(field.required(path, 'must specify a handler type'))
  else if (handlers.length > 1) out.push(field.forbidden(`${path}.${handlers[1]}`, 'may not specify more than 1 handler type'))
  if (p.httpGet) out.push(...validatePortNumOrName(asObj(p.httpGet).port, `${path}.httpGet.port`))
  if (p.tcpSocket) out.push(...validatePortNumOrName(asObj(p.tcpSocket).port, `${path}.tcpSocket.port`))
  if (p.grpc) out.push(...invalidEach(`${path}.grpc.port`, asObj(p.grpc).port, isValidPortNum(asObj(p.grpc).port)))
  out.push(...validateNonNegative(p, 'initialDelaySeconds', path))
  for (const k of ['timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) out.push(...validateNonNegative(p, k, path, 1))
  return out
}

/**
 * upstream validateContainers (and init containers): name is a unique DNS label, image required,
 * ports, env, volume mounts refer to declared volumes, probes well-formed.
 */
export function validateContainers(
  containers: unknown,
  path: string,
  ctx: { volumes: Set<string>; names: Set<string>; hostNetwork: boolean; init: boolean },
): StatusCause[] {
  const out: StatusCause[] = []
  asList(containers).forEach((c, i) => {
    const at = `${path}[${i}]`
    const name = asStr(c.name)
    if (!name) out.push(field.required(`${at}.name`))
    else {
      out.push(...invalidEach(`${at}.name`, name, isDNS1123Label(name)))
      if (ctx.names.has(name)) out.push(field.duplicate(`${at}.name`, name))
      ctx.names.add(name)
    }
    if (!asStr(c.image).trim()) out.push(field.required(`${at}.image`))
    if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy as string)) {
      out.push(field.notSupported(`${at}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES))
    }
    out.push(...validateContainerPorts(c.ports, `${at}.ports`, ctx.hostNetwork))
    out.push(...validateEnv(c.env, `${at}.env`))
    out.push(...validateResourceQuantities(c.resources, `${at}.resources`))
    asList(c.volumeMounts).forEach((m, j) => {
      const mountName = asStr(m.name)
      if (!mountName) out.push(field.required(`${at}.volumeMounts[${j}].name`))
      else if (!ctx.volumes.has(mountName)) {
        out.push({ reason: 'FieldValueNotFound', message: `Not found: "${mountName}"`, field: `${at}.volumeMounts[${j}].name` })
      }
      if (!asStr(m.mountPath)) out.push(field.required(`${at}.volumeMounts[${j}].mountPath`))
    })
    if (c.restartPolicy !== undefined) {
      // upstream: only init containers may set restartPolicy (sidecars), and only to Always
      if (!ctx.init) out.push(field.forbidden(`${at}.restartPolicy`, 'may not be set for non-init containers'))
      else if (c.restartPolicy !== 'Always') out.push(field.notSupported(`${at}.restartPolicy`, c.restartPolicy, ['Always']))
    }
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) out.push(...validateProbe(c[probe], `${at}.${probe}`))
    const term = c.terminationMessagePolicy
    if (term !== undefined && term !== 'File' && term !== 'FallbackToLogsOnError') {
      out.push(field.notSupported(`${at}.terminationMessagePolicy`, term, ['File', 'FallbackToLogsOnError']))
    }
  })
  return out
}

/** upstream's message for an out-of-range integer, re-exported for the pod file. */
export const int32Range = inclusiveRangeError(1, 2147483647)
