import { AGE_COLUMN, NAME_COLUMN, col, type Printer } from './types.js'
import { arr, num, obj, str, translateTimestampSince } from './format.js'

// upstream: pkg/printers/internalversion/printers.go (printNode, printNamespace, printEvent, printLease)

const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/'
const NODE_LABEL_ROLE = 'kubernetes.io/role'

/** Roles from `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role`, sorted and unique. */
export function findNodeRoles(labels: unknown): string[] {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries(obj(labels))) {
    if (k.startsWith(LABEL_NODE_ROLE_PREFIX)) {
      const role = k.slice(LABEL_NODE_ROLE_PREFIX.length)
      if (role) roles.add(role)
    } else if (k === NODE_LABEL_ROLE && str(v) !== '') roles.add(str(v))
  }
  return [...roles].sort()
}

function nodeAddress(node: Record<string, unknown>, type: string): string {
  return str(arr(obj(node.status).addresses).find((a) => a.type === type)?.address) || '<none>'
}

/** Nodes: Name, Status, Roles, Age, Version, Internal-IP, External-IP, OS-Image, Kernel-Version, Container-Runtime. */
export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node.', { priority: 1 }),
    col('External-IP', 'string', 'List of addresses reachable to the node.', { priority: 1 }),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
    col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', {
      priority: 1,
    }),
  ],
  row(node, now) {
    const status = obj(node.status)
    const info = obj(status.nodeInfo)
    const ready = arr(status.conditions).find((c) => c.type === 'Ready')
    const st: string[] = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown']
    if (obj(node.spec).unschedulable === true) st.push('SchedulingDisabled')
    const roles = findNodeRoles(obj(node.metadata).labels).join(',')
    return {
      cells: [
        str(obj(node.metadata).name),
        st.join(','),
        roles || '<none>',
        translateTimestampSince(obj(node.metadata).creationTimestamp, now),
        str(info.kubeletVersion),
        nodeAddress(node, 'InternalIP'),
        nodeAddress(node, 'ExternalIP'),
        str(info.osImage) || '<unknown>',
        str(info.kernelVersion) || '<unknown>',
        str(info.containerRuntimeVersion) || '<unknown>',
      ],
    }
  },
}

/** Namespaces: Name, Status, Age. */
export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, col('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  row: (ns, now) => ({
    cells: [str(obj(ns.metadata).name), str(obj(ns.status).phase), translateTimestampSince(obj(ns.metadata).creationTimestamp, now)],
  }),
}

/** Leases: Name, Holder, Age. */
export const leasePrinter: Printer = {
  columns: [NAME_COLUMN, col('Holder', 'string', 'The holder of the lease'), AGE_COLUMN],
  row: (l, now) => ({
    cells: [str(obj(l.metadata).name), str(obj(l.spec).holderIdentity), translateTimestampSince(obj(l.metadata).creationTimestamp, now)],
  }),
}

function firstNonEmpty(...s: string[]): string {
  return s.find((x) => x !== '') ?? ''
}

/** Events: Last Seen, Type, Reason, Object, Subobject, Source, Message, First Seen, Count, Name. */
export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', {
      priority: 1,
    }),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', { priority: 1 }),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { priority: 1 }),
    col('Count', 'string', 'The number of times this event has occurred.', { priority: 1 }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  row(ev, now) {
    const involved = obj(ev.involvedObject)
    const source = obj(ev.source)
    const series = ev.series ? obj(ev.series) : undefined
    const firstTs = str(ev.firstTimestamp)
    const firstSeen = translateTimestampSince(firstTs || ev.eventTime, now)
    let lastSeen = str(ev.lastTimestamp) ? translateTimestampSince(ev.lastTimestamp, now) : firstSeen
    let count = num(ev.count)
    if (series) {
      lastSeen = translateTimestampSince(series.lastObservedTime, now)
      count = num(series.count)
    } else if (count === 0) {
      // singleton events carry no count in the events.k8s.io API
      count = 1
    }
    const kind = str(involved.kind).toLowerCase()
    const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind
    const component = firstNonEmpty(str(source.component), str(ev.reportingComponent))
    const instance = firstNonEmpty(str(source.host), str(ev.reportingInstance))
    return {
      cells: [
        lastSeen,
        str(ev.type),
        str(ev.reason),
        target,
        str(involved.fieldPath),
        instance ? `${component}, ${instance}` : component,
        str(ev.message).trim(),
        firstSeen,
        count,
        str(obj(ev.metadata).name),
      ],
    }
  },
}
