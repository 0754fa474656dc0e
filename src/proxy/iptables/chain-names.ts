// Chain names exactly as upstream hashes them: "KUBE-XXX-" + base32(sha256(input))[:16].
import * as crypto from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

// crypto.hash (one-shot, Node ≥ 20.12) is about twice as fast as createHash for short inputs, and
// asking it for hex avoids a Buffer (external memory) per name: at 110k names those dominated GC.
const oneShotSha256 = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash

const HEX: Record<string, number> = {}
for (let i = 0; i < 16; i++) HEX[i.toString(16)] = i

/** First 16 characters of RFC 4648 base32 of sha256(input): exactly the first 10 digest bytes. */
export function hash16(input: string): string {
  const hex = oneShotSha256 !== undefined ? oneShotSha256('sha256', input, 'hex') : crypto.createHash('sha256').update(input).digest('hex')
  // 20 hex digits (80 bits) → 16 base32 digits; 4 hex digits (16 bits) at a time keep the
  // accumulator small.
  let out = ''
  let buffer = 0
  let bits = 0
  for (let i = 0; i < 20; i++) {
    buffer = ((buffer << 4) | HEX[hex[i]!]!) & 0xff
    bits += 4
    if (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  return out
}

/** Chain-name prefixes kube-proxy treats as its own per-service chains (stale-chain detection). */
export const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-'] as const

/** True for a chain name kube-proxy made for a service or endpoint. */
// upstream: pkg/proxy/iptables/proxier.go (isServiceChainName)
export function isServiceChainName(name: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => name.startsWith(p))
}

/** KUBE-SVC-: the cluster-traffic-policy chain of a service port. `protocol` is lower case. */
// upstream: pkg/proxy/iptables/proxier.go (servicePortPolicyClusterChain)
export function servicePortPolicyClusterChain(servicePortName: string, protocol: string): string {
  return `KUBE-SVC-${hash16(servicePortName + protocol)}`
}

/** Upstream's historical name for the KUBE-SVC- chain. */
export const servicePortChainName = servicePortPolicyClusterChain

/** KUBE-SVL-: the local-traffic-policy chain of a service port. */
// upstream: pkg/proxy/iptables/proxier.go (servicePortPolicyLocalChainName)
export function servicePortPolicyLocalChainName(servicePortName: string, protocol: string): string {
  return `KUBE-SVL-${hash16(servicePortName + protocol)}`
}

/** KUBE-EXT-: the entry chain for external traffic (NodePort, external IP, LB IP). */
// upstream: pkg/proxy/iptables/proxier.go (serviceExternalChainName)
export function serviceExternalChainName(servicePortName: string, protocol: string): string {
  return `KUBE-EXT-${hash16(servicePortName + protocol)}`
}

/** KUBE-FW-: the loadBalancerSourceRanges firewall chain. */
// upstream: pkg/proxy/iptables/proxier.go (serviceFirewallChainName)
export function serviceFirewallChainName(servicePortName: string, protocol: string): string {
  return `KUBE-FW-${hash16(servicePortName + protocol)}`
}

/** KUBE-SEP-: one endpoint's chain; `endpoint` is JoinHostPort(canonical IP, port). */
// upstream: pkg/proxy/iptables/proxier.go (servicePortEndpointChainName)
export function servicePortEndpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(servicePortName + protocol + endpoint)}`
}
