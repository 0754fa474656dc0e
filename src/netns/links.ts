// Links inside lab namespaces: veth pairs whose two ends are both created directly in named
// namespaces (`ip -n A link add … peer name … netns B`, so no end ever exists in the root
// namespace, not even for a moment), bridges, addresses, routes and link state.
import { isIP } from 'node:net'
import { assertNetnsName } from './exec.js'
import type { Step } from './step.js'

/** A link by namespace and interface name. */
export interface LinkRef {
  netns: string
  name: string
}

/** A route inside a namespace: `to` is "default" or a CIDR; via and/or dev say where to. */
export interface RouteSpec {
  to: string
  via?: string
  dev?: string
}

// Linux interface names are at most IFNAMSIZ-1 = 15 bytes and may not contain "/" or spaces.
const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/

/** Throws unless name is a valid Linux interface name (1-15 of letters, digits, `_.-`). */
export function assertIfName(name: string): void {
  if (typeof name !== 'string' || !IFNAME.test(name)) {
    throw new TypeError(`invalid interface name ${JSON.stringify(name)}: use 1-15 letters, digits, "_", "." or "-" (Linux IFNAMSIZ)`)
  }
}

/** Throws unless cidr is an address with a prefix length, e.g. 10.244.1.2/24 or fd00::2/64. */
export function assertCidr(cidr: string, what = 'address'): void {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(String(cidr))
  const family = m ? isIP(m[1]!) : 0
  const bits = m ? Number(m[2]) : -1
  if (!m || family === 0 || bits > (family === 4 ? 32 : 128)) {
    throw new TypeError(`invalid ${what} ${JSON.stringify(cidr)}: expected IP/prefix-length such as 10.244.1.2/24`)
  }
}

function assertIp(ip: string, what: string): void {
  if (isIP(String(ip)) === 0) throw new TypeError(`invalid ${what} ${JSON.stringify(ip)}: expected an IP address such as 10.244.1.1`)
}

/** The step that creates a veth pair with one end in each named namespace (never the root one). */
export function vethStep(a: LinkRef, b: LinkRef): Step {
  assertNetnsName(a.netns)
  assertNetnsName(b.netns)
  assertIfName(a.name)
  assertIfName(b.name)
  return { op: 'ip', netns: a.netns, args: ['link', 'add', a.name, 'type', 'veth', 'peer', 'name', b.name, 'netns', b.netns] }
}

/** The step that creates a bridge inside a namespace. */
export function bridgeStep(netns: string, name: string): Step {
  assertIfName(name)
  return { op: 'ip', netns, args: ['link', 'add', name, 'type', 'bridge'] }
}

/** The step that enslaves a link to a bridge in the same namespace. */
export function masterStep(netns: string, link: string, bridge: string): Step {
  assertIfName(link)
  assertIfName(bridge)
  return { op: 'ip', netns, args: ['link', 'set', link, 'master', bridge] }
}

/** The step that brings a link up. */
export function linkUpStep(netns: string, name: string): Step {
  assertIfName(name)
  return { op: 'ip', netns, args: ['link', 'set', name, 'up'] }
}

/** The step that adds an address (IP/prefix) to a link. */
export function addressStep(netns: string, dev: string, cidr: string): Step {
  assertIfName(dev)
  assertCidr(cidr)
  return { op: 'ip', netns, args: ['addr', 'add', cidr, 'dev', dev] }
}

/** The step that adds a route ("default" or a CIDR, via a gateway and/or out of a device). */
export function routeStep(netns: string, route: RouteSpec): Step {
  if (route.to !== 'default') assertCidr(route.to, 'route destination')
  if (route.via === undefined && route.dev === undefined) {
    throw new TypeError(`route to ${route.to} in ${netns} needs "via" (a gateway IP) or "dev" (an interface)`)
  }
  const args = ['route', 'add', route.to]
  if (route.via !== undefined) {
    assertIp(route.via, `gateway for route ${route.to}`)
    args.push('via', route.via)
  }
  if (route.dev !== undefined) {
    assertIfName(route.dev)
    args.push('dev', route.dev)
  }
  return { op: 'ip', netns, args }
}
