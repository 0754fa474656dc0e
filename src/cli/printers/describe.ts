// `kplab describe` text: metadata, the highlights of each kind (Service, Pod, Deployment), a generic
// rendering for the rest, and the Events table, aligned as kubectl's describers align them.
import type { KubeObject } from '../../api/meta.js'
import type { ResourceInfo } from '../../api/registry.js'
import { LAST_APPLIED } from '../apply-merge.js'
import { age } from './duration.js'
import { DESCRIBE_TABWRITER, tabwrite } from './tabwriter.js'

/** What describe fetched besides the object. */
export interface DescribeExtras {
  /** core/v1 Events whose involvedObject is the object. */
  events?: KubeObject[]
  /** For Services: EndpointSlices labelled kubernetes.io/service-name. */
  endpointSlices?: KubeObject[]
  /** Current time (ms), for ages. */
  now: number
}

// Describers read loosely typed objects of many kinds; `any` keeps the field access readable.
type Obj = Record<string, any>

/**
 * Collects `key:\tvalue` lines at indent levels, like kubectl's PrefixWriter over a tabwriter.
 * upstream: kubectl/pkg/describe/describe.go (PrefixWriter, LEVEL_0…)
 */
class Writer {
  private text = ''
  line(level: number, key: string, value?: unknown): void {
    const indent = '  '.repeat(level)
    // A key alone (a section: `Containers:`) ends the column block, as in kubectl.
    this.text += value === undefined ? `${indent}${key.endsWith(':') ? key : `${key}:`}\n` : `${indent}${key}:\t${String(value)}\n`
  }
  raw(level: number, s: string): void {
    this.text += `${'  '.repeat(level)}${s}\n`
  }
  /** Multi-line map (labels, annotations, selectors): first entry on the key's line, the rest below it. */
  map(level: number, key: string, m: Record<string, string> | undefined, skip: string[] = []): void {
    const entries = Object.entries(m ?? {})
      .filter(([k]) => !skip.includes(k))
      .sort(([a], [b]) => a.localeCompare(b))
    if (entries.length === 0) return this.line(level, key, '<none>')
    entries.forEach(([k, v], i) => {
      if (i === 0) this.line(level, key, `${k}=${v}`)
      else this.raw(level, `\t${k}=${v}`)
    })
  }
  toString(): string {
    return tabwrite(this.text, DESCRIBE_TABWRITER)
  }
}

/** The describe text for an object of resource r. */
export function describeObject(r: ResourceInfo, obj: KubeObject, extras: DescribeExtras): string {
  const w = new Writer()
  switch (r.kind) {
    case 'Service':
      describeService(w, obj as Obj, extras)
      break
    case 'Pod':
      describePod(w, obj as Obj, extras)
      break
    case 'Deployment':
      describeDeployment(w, obj as Obj, extras)
      break
    default:
      describeGeneric(w, obj as Obj)
  }
  describeEvents(w, extras)
  return w.toString()
}

function header(w: Writer, o: Obj): void {
  w.line(0, 'Name', o.metadata?.name)
  if (o.metadata?.namespace) w.line(0, 'Namespace', o.metadata.namespace)
  w.map(0, 'Labels', o.metadata?.labels)
  w.map(0, 'Annotations', o.metadata?.annotations, [LAST_APPLIED])
}

const selectorText = (m: Record<string, string> | undefined): string =>
  Object.entries(m ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || '<none>'

// upstream: kubectl/pkg/describe/describe.go (describeService, formatEndpointSlices)
function describeService(w: Writer, o: Obj, extras: DescribeExtras): void {
  header(w, o)
  const spec: Obj = o.spec ?? {}
  w.line(0, 'Selector', selectorText(spec.selector))
  w.line(0, 'Type', spec.type ?? 'ClusterIP')
  if (spec.ipFamilyPolicy) w.line(0, 'IP Family Policy', spec.ipFamilyPolicy)
  if (spec.ipFamilies?.length) w.line(0, 'IP Families', spec.ipFamilies.join(','))
  w.line(0, 'IP', spec.clusterIP || '<none>')
  w.line(0, 'IPs', (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).join(',') || '<none>')
  if (spec.externalIPs?.length) w.line(0, 'External IPs', spec.externalIPs.join(','))
  for (const p of (spec.ports ?? []) as Obj[]) {
    const proto = p.protocol ?? 'TCP'
    const name = p.name || '<unset>'
    w.line(0, 'Port', `${name}  ${p.port}/${proto}`)
    w.line(0, 'TargetPort', `${p.targetPort ?? p.port}/${proto}`)
    if (p.nodePort) w.line(0, 'NodePort', `${name}  ${p.nodePort}/${proto}`)
    w.line(0, 'Endpoints', formatEndpoints(extras.endpointSlices ?? [], p.name ?? ''))
  }
  w.line(0, 'Session Affinity', spec.sessionAffinity ?? 'None')
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') w.line(0, 'External Traffic Policy', spec.externalTrafficPolicy ?? 'Cluster')
  if (spec.internalTrafficPolicy) w.line(0, 'Internal Traffic Policy', spec.internalTrafficPolicy)
}

/** `ip:port,…` of the ready endpoints serving the named port; at most 3 shown, as kubectl. */
export function formatEndpoints(slices: KubeObject[], portName: string): string {
  const all: string[] = []
  for (const s of slices as Obj[]) {
    const port = ((s.ports ?? []) as Obj[]).find((p) => (p.name ?? '') === portName)
    if (!port) continue
    for (const ep of (s.endpoints ?? []) as Obj[]) {
      // A nil ready condition counts as ready (upstream).
      if (ep.conditions?.ready === false) continue
      for (const addr of (ep.addresses ?? []) as string[]) all.push(`${addr}:${port.port}`)
    }
  }
  if (all.length === 0) return '<none>'
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',')
}

// upstream: kubectl/pkg/describe/describe.go (describePod)
function describePod(w: Writer, o: Obj, extras: DescribeExtras): void {
  w.line(0, 'Name', o.metadata?.name)
  w.line(0, 'Namespace', o.metadata?.namespace)
  const spec: Obj = o.spec ?? {}
  const status: Obj = o.status ?? {}
  if (spec.serviceAccountName) w.line(0, 'Service Account', spec.serviceAccountName)
  w.line(0, 'Node', spec.nodeName ? (status.hostIP ? `${spec.nodeName}/${status.hostIP}` : spec.nodeName) : '<none>')
  if (status.startTime) w.line(0, 'Start Time', status.startTime)
  w.map(0, 'Labels', o.metadata?.labels)
  w.map(0, 'Annotations', o.metadata?.annotations, [LAST_APPLIED])
  if (o.metadata?.deletionTimestamp) w.line(0, 'Status', `Terminating (lasts ${age(o.metadata.deletionTimestamp, extras.now)})`)
  else w.line(0, 'Status', status.phase ?? '<unknown>')
  w.line(0, 'IP', status.podIP ?? '')
  const ips = (status.podIPs ?? []) as Obj[]
  if (ips.length === 0) w.line(0, 'IPs', '<none>')
  else {
    w.line(0, 'IPs')
    for (const ip of ips) w.line(1, 'IP', ip.ip)
  }
  const owner = ((o.metadata?.ownerReferences ?? []) as Obj[]).find((r) => r.controller)
  if (owner) w.line(0, 'Controlled By', `${owner.kind}/${owner.name}`)
  w.line(0, 'Containers')
  const statuses = (status.containerStatuses ?? []) as Obj[]
  for (const c of (spec.containers ?? []) as Obj[]) {
    const cs = statuses.find((s) => s.name === c.name)
    w.line(1, `${c.name}:`)
    w.line(2, 'Image', c.image ?? '')
    const ports = ((c.ports ?? []) as Obj[]).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`)
    w.line(2, ports.length > 1 ? 'Ports' : 'Port', ports.join(', ') || '<none>')
    if (c.command?.length) w.line(2, 'Command', c.command.join(' '))
    if (c.args?.length) w.line(2, 'Args', c.args.join(' '))
    const state: Obj = cs?.state ?? {}
    const stateName = Object.keys(state)[0]
    w.line(2, 'State', stateName ? stateName[0]!.toUpperCase() + stateName.slice(1) : 'Waiting')
    if (stateName === 'waiting' && state.waiting?.reason) w.line(3, 'Reason', state.waiting.reason)
    if (stateName === 'running' && state.running?.startedAt) w.line(3, 'Started', state.running.startedAt)
    if (stateName === 'terminated') {
      if (state.terminated?.reason) w.line(3, 'Reason', state.terminated.reason)
      w.line(3, 'Exit Code', state.terminated?.exitCode ?? '')
    }
    w.line(2, 'Ready', cs?.ready ? 'True' : 'False')
    w.line(2, 'Restart Count', cs?.restartCount ?? 0)
  }
  const conditions = (status.conditions ?? []) as Obj[]
  if (conditions.length > 0) {
    w.line(0, 'Conditions')
    w.raw(1, 'Type\tStatus')
    for (const c of conditions) w.raw(1, `${c.type}\t${c.status}`)
  }
}

// upstream: kubectl/pkg/describe/describe.go (DeploymentDescriber)
function describeDeployment(w: Writer, o: Obj, _extras: DescribeExtras): void {
  header(w, o)
  const spec: Obj = o.spec ?? {}
  const st: Obj = o.status ?? {}
  w.line(0, 'Selector', selectorText(spec.selector?.matchLabels))
  w.line(
    0,
    'Replicas',
    `${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable`,
  )
  w.line(0, 'StrategyType', spec.strategy?.type ?? 'RollingUpdate')
  w.line(0, 'MinReadySeconds', spec.minReadySeconds ?? 0)
  const ru = spec.strategy?.rollingUpdate
  if (ru) w.line(0, 'RollingUpdateStrategy', `${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge`)
  w.line(0, 'Pod Template')
  w.map(1, 'Labels', spec.template?.metadata?.labels)
  w.line(1, 'Containers')
  for (const c of (spec.template?.spec?.containers ?? []) as Obj[]) {
    w.line(2, `${c.name}:`)
    w.line(3, 'Image', c.image ?? '')
    const ports = ((c.ports ?? []) as Obj[]).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`)
    w.line(3, 'Port', ports.join(', ') || '<none>')
  }
  const conditions = (st.conditions ?? []) as Obj[]
  if (conditions.length > 0) {
    w.line(0, 'Conditions')
    w.raw(1, 'Type\tStatus\tReason')
    w.raw(1, '----\t------\t------')
    for (const c of conditions) w.raw(1, `${c.type}\t${c.status}\t${c.reason ?? ''}`)
  }
}

/** `nodeName` → `Node Name`, as kubectl labels unstructured fields. */
export function smartLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_-]+/)
  return words.map((x) => (x ? x[0]!.toUpperCase() + x.slice(1) : x)).join(' ')
}

// upstream: kubectl/pkg/describe/describe.go (GenericDescriberFor, printUnstructuredContent)
function describeGeneric(w: Writer, o: Obj): void {
  header(w, o)
  for (const [k, v] of Object.entries(o)) {
    if (k === 'metadata') continue
    renderValue(w, 0, smartLabel(k), v)
  }
}

function renderValue(w: Writer, level: number, label: string, v: unknown): void {
  if (Array.isArray(v)) {
    w.line(level, label)
    for (const item of v) {
      if (item && typeof item === 'object') {
        for (const [k, x] of Object.entries(item)) renderValue(w, level + 1, smartLabel(k), x)
      } else w.raw(level + 1, String(item))
    }
  } else if (v && typeof v === 'object') {
    w.line(level, label)
    for (const [k, x] of Object.entries(v)) renderValue(w, level + 1, smartLabel(k), x)
  } else {
    w.line(level, label, v ?? '')
  }
}

// upstream: kubectl/pkg/describe/describe.go (DescribeEvents)
function describeEvents(w: Writer, extras: DescribeExtras): void {
  const events = [...((extras.events ?? []) as Obj[])].sort((a, b) => eventTime(a).localeCompare(eventTime(b)))
  if (events.length === 0) {
    w.line(0, 'Events', '<none>')
    return
  }
  w.line(0, 'Events')
  w.raw(1, 'Type\tReason\tAge\tFrom\tMessage')
  w.raw(1, '----\t------\t----\t----\t-------')
  for (const e of events) {
    let when = age(eventTime(e), extras.now)
    if ((e.count ?? 1) > 1 && e.firstTimestamp) when = `${age(eventTime(e), extras.now)} (x${e.count} over ${age(e.firstTimestamp, extras.now)})`
    const from = e.source?.component ? (e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component) : (e.reportingComponent ?? '')
    w.raw(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${when}\t${from}\t${String(e.message ?? '').trim()}`)
  }
}

function eventTime(e: Obj): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? ''
}
