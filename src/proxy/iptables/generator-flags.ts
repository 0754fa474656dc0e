// kube-proxy's rule-shaping flags (as `kplab rules` and `kplab proxy --mode iptables` spell them) →
// generator options, refusing malformed values by flag name. One parser for both commands.
import { UsageError } from '../../base/errors.js'
import { parseCIDR, parseIP } from './ip.js'
import type { GeneratorOptions } from './options.js'

/** kube-proxy's flags that shape the rules (names as kube-proxy spells them). */
export interface ProxyRuleFlags {
  filename?: string[]
  hostnameOverride?: string
  nodeIp?: string
  clusterCidr?: string
  masqueradeAll?: boolean
  masqueradeBit?: string
  nodeportAddresses?: string
  iptablesLocalhostNodeports?: string
}

function boolFlag(name: string, v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt
  if (v === 'true') return true
  if (v === 'false') return false
  throw new UsageError(`invalid value "${v}" for --${name}: use true or false`)
}

/** Turns the flags into generator options, refusing malformed values with the flag's name. */
export function generatorOptionsFromFlags(f: ProxyRuleFlags): Partial<GeneratorOptions> {
  const nodeIPs = (f.nodeIp ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  for (const ip of nodeIPs) if (parseIP(ip) === undefined) throw new UsageError(`invalid value "${ip}" for --node-ip: not an IP address`)
  const bit = Number(f.masqueradeBit ?? '14')
  if (!Number.isInteger(bit) || bit < 0 || bit > 31) throw new UsageError(`invalid value "${f.masqueradeBit}" for --masquerade-bit: must be an integer in 0..31`)
  const npa = (f.nodeportAddresses ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  for (const c of npa) if (parseCIDR(c) === undefined || !c.includes('/')) throw new UsageError(`invalid value "${c}" for --nodeport-addresses: not a CIDR (e.g. 192.168.56.0/24)`)
  const cidr = f.clusterCidr ?? ''
  if (cidr !== '' && (parseCIDR(cidr) === undefined || !cidr.includes('/'))) throw new UsageError(`invalid value "${cidr}" for --cluster-cidr: not a CIDR (e.g. 10.244.0.0/16)`)
  const family = nodeIPs.length > 0 && nodeIPs[0]!.includes(':') ? 'IPv6' : 'IPv4'
  return {
    ipFamily: family,
    hostname: f.hostnameOverride ?? '',
    nodeIPs,
    localDetector: cidr === '' ? { mode: 'None' } : { mode: 'ClusterCIDR', cidr },
    masqueradeAll: f.masqueradeAll === true,
    masqueradeBit: bit,
    nodePortAddresses: npa,
    localhostNodePorts: boolFlag('iptables-localhost-nodeports', f.iptablesLocalhostNodeports, true),
  }
}
