// Pure kube-proxy iptables rule generation: state → the Ruleset kube-proxy would restore.
import type { EndpointSlice, Service } from '../../api/types.js'
import { ChainNameCache } from './chain-name-cache.js'
import { isServiceChainName } from './chain-names.js'
import { buildEndpointsMap, categorizeEndpoints, type EndpointsMap } from './endpoints.js'
import { cidrContains, isLoopback, parseCIDR, parseIP } from './ip.js'
import { markOf, withDefaults, type GeneratorOptions } from './options.js'
import { LineBuffer } from './line-buffer.js'
import { parseRuleset } from './parse.js'
import type { Ruleset } from './ruleset.js'
import { planServicePort, serviceChainsSummary, writeServiceChains, writeTopLevelRules, type SyncBuffers } from './service-rules.js'
import { servicePortsOf, type ServicePortInfo } from './service-port.js'

/** The API objects a proxier sees. */
export interface ProxyState {
  services: readonly Service[]
  endpointSlices: readonly EndpointSlice[]
}

/** What kind of sync to generate. */
export interface SyncRequest {
  /** Full sync: every chain. Partial: per-service chains only for `changedServices`. */
  full: boolean
  /** `namespace/name` of Services whose Service or EndpointSlices changed since the last successful sync. */
  changedServices?: ReadonlySet<string>
  /** nat chains that exist now (from iptables-save); KUBE-SVC/SVL/EXT/FW/SEP ones not active are deleted. */
  existingNatChains?: Iterable<string>
  /** Memo of KUBE-SEP names kept by a long-running proxier. */
  chainNames?: ChainNameCache
}

/** Rule and chain totals as upstream's metrics count them (skipped services included). */
export interface RuleCounts {
  filterChains: number
  filterRules: number
  natChains: number
  natRules: number
}

/** The outcome of one generation. */
export interface GenerateResult {
  /** The iptables-restore input, exactly as kube-proxy would write it. */
  readonly payload: string
  /** The same input as byte chunks, in order: what iptables-restore reads (no copy). */
  payloadChunks: readonly Buffer[]
  /** The chunks joined (on first use). */
  readonly payloadBytes: Buffer
  /** The payload parsed (lazily, on first access). */
  readonly ruleset: Ruleset
  /** Every nat chain kube-proxy owns after this sync (written or kept). */
  activeNatChains: Set<string>
  /** Chains flushed and deleted by this payload. */
  staleChains: string[]
  largeClusterMode: boolean
  counts: RuleCounts
}

const NO_NAMES: ReadonlyMap<string, string> = new Map()

/** Filter chains written on every sync, in upstream's order. */
export const FILTER_TOP_LEVEL_CHAINS = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'] as const
/** Nat chains written on every sync, in upstream's order. */
export const NAT_TOP_LEVEL_CHAINS = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'] as const

/** All service ports of the state, sorted by ServicePortName string (upstream iterates a Go map). */
export function buildServicePortList(services: readonly Service[], opts: GeneratorOptions): ServicePortInfo[] {
  const out: ServicePortInfo[] = []
  for (const svc of services) out.push(...servicePortsOf(svc, opts.ipFamily))
  return out.sort((a, b) => (a.nameString < b.nameString ? -1 : a.nameString > b.nameString ? 1 : 0))
}

/** Generates the restore payload for a state (the usual entry point). */
export function generateRules(state: ProxyState, options: Partial<GeneratorOptions> = {}, sync: SyncRequest = { full: true }): GenerateResult {
  const opts = withDefaults(options)
  const ports = buildServicePortList(state.services, opts)
  const endpoints = buildEndpointsMap(state.endpointSlices, opts.hostname, opts.ipFamily)
  return generateFromPorts(ports, endpoints, opts, sync)
}

/** The node IPs `--nodeport-addresses` selects, or undefined for "all local addresses". */
// upstream: pkg/proxy/util/nodeport_addresses.go (MatchAll, GetNodeIPs)
export function nodePortIPs(opts: GeneratorOptions): string[] | undefined {
  const cidrs = opts.nodePortAddresses.map((c) => parseCIDR(c)).filter((c) => c !== undefined && c.family === opts.ipFamily)
  if (cidrs.length === 0 || cidrs.some((c) => c!.prefix === 0)) return undefined
  const out: string[] = []
  for (const raw of opts.nodeIPs) {
    const ip = parseIP(raw.split('/')[0]!)
    if (ip === undefined || ip.family !== opts.ipFamily) continue
    const text = raw.split('/')[0]!
    if (cidrs.some((c) => cidrContains(c!, ip)) && !out.includes(text)) out.push(text)
  }
  return out
}

/** localhostNodePorts is forced off when --nodeport-addresses excludes 127.0.0.1 (upstream NewProxier). */
function effectiveLocalhostNodePorts(opts: GeneratorOptions): boolean {
  if (!opts.localhostNodePorts || opts.ipFamily !== 'IPv4') return opts.localhostNodePorts
  const cidrs = opts.nodePortAddresses.map((c) => parseCIDR(c)).filter((c) => c !== undefined && c.family === 'IPv4')
  if (opts.nodePortAddresses.length === 0) return true
  const lo = parseIP('127.0.0.1')!
  return cidrs.some((c) => cidrContains(c!, lo))
}

/** Generates from prepared service ports (sorted) and endpoints; the proxier calls this directly. */
// upstream: pkg/proxy/iptables/proxier.go (syncProxyRules)
export function generateFromPorts(ports: readonly ServicePortInfo[], endpointsMap: EndpointsMap, options: GeneratorOptions, sync: SyncRequest): GenerateResult {
  const opts: GeneratorOptions = { ...options, localhostNodePorts: effectiveLocalhostNodePorts(options) }
  const mark = markOf(opts)
  const names = sync.chainNames ?? new ChainNameCache()
  const tryPartial = !sync.full
  const changed = sync.changedServices ?? new Set<string>()

  const filterChains: string[] = [...FILTER_TOP_LEVEL_CHAINS]
  const out: SyncBuffers = { filterRules: new LineBuffer(), natChains: [...NAT_TOP_LEVEL_CHAINS], natRules: new LineBuffer() }
  const activeNatChains = new Set<string>(NAT_TOP_LEVEL_CHAINS)
  let skippedNatChains = 0
  let skippedNatRules = 0

  out.natRules.writeLine(`-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`)
  // Clear the mark so a packet that re-traverses the stack is not masqueraded twice.
  out.natRules.writeLine(`-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`)
  out.natRules.writeLine(`-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${opts.randomFully ? ' --random-fully' : ''}`)
  out.natRules.writeLine(`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`)

  const isIPv6 = opts.ipFamily === 'IPv6'
  if (!isIPv6 && opts.localhostNodePorts) {
    // route_localnet opens 127.0.0.0/8 to the network (issue 90259); this closes it again.
    filterChains.push('KUBE-FIREWALL')
    out.filterRules.writeLine('-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP')
  }

  let totalEndpoints = 0
  for (const svc of ports) totalEndpoints += endpointsMap.get(svc.nameString)?.length ?? 0
  const largeClusterMode = totalEndpoints > opts.largeClusterEndpointsThreshold

  const wantStale = sync.existingNatChains !== undefined
  for (const svc of ports) {
    const cat = categorizeEndpoints(endpointsMap.get(svc.nameString) ?? [], svc)
    const skip = tryPartial && !changed.has(svc.serviceKey)
    // A skipped service needs its SEP names only to keep them out of the stale list.
    let sep: ReadonlyMap<string, string> = NO_NAMES
    if (!skip || wantStale) {
      const portNames = names.forServicePort(svc.nameString, svc.protocol)
      for (const ep of cat.allReachableEndpoints) portNames.get(ep.endpoint)
      // Cluster and local endpoints are subsets of the reachable ones except in odd fallbacks.
      if (cat.clusterEndpoints !== cat.allReachableEndpoints) for (const ep of cat.clusterEndpoints) portNames.get(ep.endpoint)
      if (cat.localEndpoints !== cat.allReachableEndpoints) for (const ep of cat.localEndpoints) portNames.get(ep.endpoint)
      sep = portNames.names
    }
    const plan = planServicePort(svc, cat, sep)
    writeTopLevelRules(plan, opts, out)
    if (skip) {
      // Unchanged in a partial sync: keep its chains active (not stale) without rewriting them.
      const summary = serviceChainsSummary(plan, opts)
      for (const c of summary.chains) activeNatChains.add(c)
      skippedNatChains += summary.chainCount
      skippedNatRules += summary.rules
      continue
    }
    const before = out.natChains.length
    writeServiceChains(plan, opts, largeClusterMode, out)
    for (let i = before; i < out.natChains.length; i++) activeNatChains.add(out.natChains[i]!)
  }

  const staleChains: string[] = []
  if (sync.existingNatChains !== undefined) {
    for (const chain of sync.existingNatChains) {
      if (!activeNatChains.has(chain) && isServiceChainName(chain)) staleChains.push(chain)
    }
    staleChains.sort()
    // A chain line flushes the chain, so the -X that follows cannot fail on its own rules.
    for (const chain of staleChains) out.natChains.push(chain)
    for (const chain of staleChains) out.natRules.writeLine(`-X ${chain}`)
  }

  // The jump to KUBE-NODEPORTS must be the last rule of KUBE-SERVICES.
  const lastRule = '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"'
  const npIPs = nodePortIPs(opts)
  if (npIPs === undefined) {
    const dest = isIPv6 ? ' ! -d ::1/128' : !opts.localhostNodePorts ? ' ! -d 127.0.0.0/8' : ''
    out.natRules.writeLine(`${lastRule} -m addrtype --dst-type LOCAL${dest} -j KUBE-NODEPORTS`)
  } else {
    for (const ip of npIPs) {
      const parsed = parseIP(ip)!
      if (isLoopback(parsed) && (isIPv6 || !opts.localhostNodePorts)) continue
      out.natRules.writeLine(`${lastRule} -d ${ip} -j KUBE-NODEPORTS`)
    }
  }

  if (!opts.conntrackTCPLiberal) {
    // INVALID packets would otherwise reach the pod un-NATed and reset the connection (issue 74839).
    const nfacct = opts.nfacct.ctStateInvalidDroppedPkts ? ' -m nfacct --nfacct-name ct_state_invalid_dropped_pkts' : ''
    out.filterRules.writeLine(`-A KUBE-FORWARD -m conntrack --ctstate INVALID${nfacct} -j DROP`)
  }
  out.filterRules.writeLine(`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`)
  out.filterRules.writeLine('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT')

  // upstream: pkg/proxy/iptables/proxier.go (syncProxyRules: "Sync rules" buffer layout)
  const natChainLines = new LineBuffer()
  for (const c of out.natChains) {
    natChainLines.put(':')
    natChainLines.put(c)
    natChainLines.put(' - [0:0]')
    natChainLines.endLine()
  }
  const payloadChunks = [
    Buffer.from(`*filter\n${filterChains.map((c) => `:${c} - [0:0]\n`).join('')}`),
    ...out.filterRules.toBuffers(),
    Buffer.from('COMMIT\n*nat\n'),
    ...natChainLines.toBuffers(),
    ...out.natRules.toBuffers(),
    Buffer.from('COMMIT\n'),
  ]
  let payloadBytes: Buffer | undefined
  let payload: string | undefined
  let parsed: Ruleset | undefined
  return {
    payloadChunks,
    // Joined and decoded on demand: iptables-restore reads the chunks; tests and the tracer want text.
    get payloadBytes(): Buffer {
      return (payloadBytes ??= Buffer.concat(payloadChunks))
    },
    get payload(): string {
      return (payload ??= this.payloadBytes.toString('latin1'))
    },
    get ruleset(): Ruleset {
      return (parsed ??= parseRuleset(this.payload))
    },
    activeNatChains,
    staleChains,
    largeClusterMode,
    counts: {
      filterChains: filterChains.length,
      filterRules: out.filterRules.lines,
      natChains: out.natChains.length - staleChains.length + skippedNatChains,
      natRules: out.natRules.lines - staleChains.length + skippedNatRules,
    },
  }
}


