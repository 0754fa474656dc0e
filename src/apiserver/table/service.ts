import { AGE_COLUMN, NAME_COLUMN, col, type Printer } from './types.js'
import { arr, formatLabels, listWithMoreString, num, obj, str, translateTimestampSince } from './format.js'

// upstream: pkg/printers/internalversion/printers.go (printService, printEndpoints, printEndpointSlice)

/** Load balancer ingress IPs/hostnames, comma-joined (server Tables are always wide: no truncation). */
function loadBalancerStatusStringer(lb: unknown): string {
  return arr(obj(lb).ingress)
    .map((i) => str(i.ip) || str(i.hostname))
    .filter((s) => s !== '')
    .join(',')
}

/** External-IP cell: externalIPs, LB ingress, `<pending>` for a LoadBalancer without one. */
function serviceExternalIP(svc: Record<string, unknown>): string {
  const spec = obj(svc.spec)
  const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(str) : []
  switch (str(spec.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>'
    case 'LoadBalancer': {
      const lb = loadBalancerStatusStringer(obj(svc.status).loadBalancer)
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',')
      return lb || '<pending>'
    }
    case 'ExternalName':
      return str(spec.externalName)
    default:
      return '<unknown>'
  }
}

/** `80:30080/TCP,443/TCP` (upstream makePortString). */
export function makePortString(ports: unknown): string {
  return arr(ports)
    .map((p) => {
      const proto = str(p.protocol) || 'TCP'
      return num(p.nodePort) > 0 ? `${num(p.port)}:${num(p.nodePort)}/${proto}` : `${num(p.port)}/${proto}`
    })
    .join(',')
}

/** Services: Name, Type, Cluster-IP, External-IP, Port(s), Age, Selector. */
export const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
  ],
  row(svc, now) {
    const spec = obj(svc.spec)
    const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(str) : []
    const internalIP = clusterIPs[0] || str(spec.clusterIP) || '<none>'
    return {
      cells: [
        str(obj(svc.metadata).name),
        str(spec.type) || 'ClusterIP',
        internalIP,
        serviceExternalIP(svc),
        makePortString(spec.ports) || '<none>',
        translateTimestampSince(obj(svc.metadata).creationTimestamp, now),
        formatLabels(spec.selector),
      ],
    }
  },
}

/** `10.0.0.1:80,10.0.0.2:80 + 3 more...` over all subsets (upstream formatEndpoints). */
export function formatEndpoints(ep: Record<string, unknown>): string {
  const subsets = arr(ep.subsets)
  if (subsets.length === 0) return '<none>'
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const ss of subsets) {
    const addrs = arr(ss.addresses)
    const ports = arr(ss.ports)
    if (ports.length === 0) {
      // headless services may have no ports
      count += addrs.length
      for (const a of addrs) {
        if (list.length === max) {
          more = true
          break
        }
        list.push(str(a.ip))
      }
      continue
    }
    for (const p of ports) {
      count += addrs.length
      for (const a of addrs) {
        if (list.length === max) {
          more = true
          break
        }
        const ip = str(a.ip)
        list.push(ip.includes(':') ? `[${ip}]:${num(p.port)}` : `${ip}:${num(p.port)}`)
      }
    }
  }
  const ret = list.join(',')
  return more ? `${ret} + ${count - max} more...` : ret
}

/** Endpoints: Name, Endpoints, Age. */
export const endpointsPrinter: Printer = {
  columns: [NAME_COLUMN, col('Endpoints', 'string', 'Endpoints of the service.'), AGE_COLUMN],
  row: (ep, now) => ({ cells: [str(obj(ep.metadata).name), formatEndpoints(ep), translateTimestampSince(obj(ep.metadata).creationTimestamp, now)] }),
}

function formatDiscoveryPorts(ports: unknown): string {
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const p of arr(ports)) {
    if (list.length < max) list.push(typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*')
    else if (list.length === max) more = true
    count++
  }
  return listWithMoreString(list, more, count, max)
}

function formatDiscoveryEndpoints(endpoints: unknown): string {
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const e of arr(endpoints)) {
    for (const a of Array.isArray(e.addresses) ? e.addresses.map(str) : []) {
      if (list.length < max) list.push(a)
      else if (list.length === max) more = true
      count++
    }
  }
  return listWithMoreString(list, more, count, max)
}

/** EndpointSlices: Name, AddressType, Ports, Endpoints, Age. */
export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    AGE_COLUMN,
  ],
  row: (s, now) => ({
    cells: [
      str(obj(s.metadata).name),
      str(s.addressType),
      formatDiscoveryPorts(s.ports),
      formatDiscoveryEndpoints(s.endpoints),
      translateTimestampSince(obj(s.metadata).creationTimestamp, now),
    ],
  }),
}
