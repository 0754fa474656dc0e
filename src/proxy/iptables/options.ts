// The proxier's settings that shape generated rules, named after kube-proxy's flags.
import type { IPFamily } from './ip.js'

/** How kube-proxy tells pod traffic from other traffic (`--detect-local-mode`). */
export type LocalDetector =
  | { mode: 'ClusterCIDR'; cidr: string }
  | { mode: 'BridgeInterface'; interface: string }
  | { mode: 'InterfaceNamePrefix'; prefix: string }
  | { mode: 'None' }

/** Generator options; defaults (GENERATOR_DEFAULTS) are kube-proxy's on a modern host. */
export interface GeneratorOptions {
  ipFamily: IPFamily
  /** `--hostname-override`: endpoints with this nodeName are local. */
  hostname: string
  /** `--node-ip`: used for loadBalancerSourceRanges hairpin and `--nodeport-addresses`. */
  nodeIPs: string[]
  localDetector: LocalDetector
  /** `--masquerade-all`: mark every packet to a cluster IP for SNAT. */
  masqueradeAll: boolean
  /** `--masquerade-bit` (0–31). */
  masqueradeBit: number
  /** Written form of the mark; default `%#08x` of 1<<bit ("0x00004000"). Upstream's tests use "0x4000". */
  masqueradeMark?: string
  /** `--iptables-localhost-nodeports`. */
  localhostNodePorts: boolean
  /** `--nodeport-addresses` CIDRs; empty means all local addresses. */
  nodePortAddresses: string[]
  /** nfacct counters available (kube-proxy adds `-m nfacct` matches only when it could create them). */
  nfacct: { ctStateInvalidDroppedPkts: boolean; localhostNodePortsAcceptedPkts: boolean }
  /** sysctl net/netfilter/nf_conntrack_tcp_be_liberal ≠ 0: no INVALID drop rule. */
  conntrackTCPLiberal: boolean
  /** iptables ≥ 1.6.2 supports `MASQUERADE --random-fully`. */
  randomFully: boolean
  /** Endpoint count above which comments on SVC→SEP and SEP rules are left out. */
  largeClusterEndpointsThreshold: number
}

/** kube-proxy's defaults for a modern IPv4 host without nfacct counters. */
export const GENERATOR_DEFAULTS: GeneratorOptions = {
  ipFamily: 'IPv4',
  hostname: '',
  nodeIPs: [],
  localDetector: { mode: 'None' },
  masqueradeAll: false,
  masqueradeBit: 14,
  localhostNodePorts: true,
  nodePortAddresses: [],
  nfacct: { ctStateInvalidDroppedPkts: false, localhostNodePortsAcceptedPkts: false },
  conntrackTCPLiberal: false,
  randomFully: true,
  largeClusterEndpointsThreshold: 1000,
}

/** Fills in defaults. */
export function withDefaults(opts: Partial<GeneratorOptions>): GeneratorOptions {
  return { ...GENERATOR_DEFAULTS, ...opts, nfacct: { ...GENERATOR_DEFAULTS.nfacct, ...opts.nfacct } }
}

/** Go's `fmt.Sprintf("%#08x", 1<<bit)`: "0x00004000" for bit 14. */
// upstream: pkg/proxy/iptables/proxier.go (NewProxier: masqueradeMark)
export function masqueradeMarkFor(bit: number): string {
  if (!Number.isInteger(bit) || bit < 0 || bit > 31) {
    throw new RangeError(`--masquerade-bit must be an integer in 0..31, got ${bit}`)
  }
  // Go zero-pads the digits to the width and adds "0x" on top, so 8 hex digits follow the prefix.
  return `0x${(2 ** bit).toString(16).padStart(8, '0')}`
}

/** The mark as written in rules. */
export function markOf(opts: GeneratorOptions): string {
  return opts.masqueradeMark ?? masqueradeMarkFor(opts.masqueradeBit)
}

/** Detector args matching pod traffic (`IfLocal`), or undefined when no detector. */
// upstream: pkg/proxy/util/localdetector.go
export function ifLocal(d: LocalDetector): string[] | undefined {
  switch (d.mode) {
    case 'ClusterCIDR':
      return ['-s', d.cidr]
    case 'BridgeInterface':
      return ['-i', d.interface]
    case 'InterfaceNamePrefix':
      return ['-i', `${d.prefix}+`]
    case 'None':
      return undefined
  }
}

/** Detector args matching non-pod traffic (`IfNotLocal`), or undefined when no detector. */
export function ifNotLocal(d: LocalDetector): string[] | undefined {
  const args = ifLocal(d)
  return args === undefined ? undefined : ['!', ...args]
}
