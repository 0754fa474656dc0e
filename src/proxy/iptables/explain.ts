// `kplab rules --explain`: per service port, the chain path a packet takes and each endpoint's
// resulting probability, in plain words.
import { ChainNameCache } from './chain-name-cache.js'
import { buildEndpointsMap, categorizeEndpoints, type EndpointInfo } from './endpoints.js'
import { buildServicePortList, type ProxyState } from './generate.js'
import { withDefaults, type GeneratorOptions } from './options.js'
import { probability } from './probability.js'
import { planServicePort, type ServicePlan } from './service-rules.js'

function cascade(lines: string[], p: ServicePlan, chain: string, eps: readonly EndpointInfo[], indent: string): void {
  const n = eps.length
  if (p.svc.sessionAffinityClientIP) {
    lines.push(`${indent}first, a client seen in the last ${p.svc.stickyMaxAgeSeconds}s goes back to its endpoint (-m recent --rcheck)`)
  }
  if (n === 1) {
    const ep = eps[0]!
    lines.push(`${indent}${chain} sends everything to its only endpoint ${ep.endpoint}${ep.isLocal ? ' (on this node)' : ep.nodeName !== undefined ? ` (on ${ep.nodeName})` : ''} via ${p.sep.get(ep.endpoint)}`)
    return
  }
  lines.push(`${indent}${chain} picks one of ${n} endpoints, each with probability exactly 1/${n}:`)
  eps.forEach((ep, i) => {
    const rule = i < n - 1 ? `rule ${i + 1} matches ${probability(n - i)} of what reaches it` : `rule ${i + 1} takes the rest`
    const local = ep.isLocal ? ', on this node' : ep.nodeName !== undefined ? `, on ${ep.nodeName}` : ''
    const state = ep.ready ? '' : ' (terminating, used because no endpoint is ready)'
    lines.push(`${indent}  ${ep.endpoint}${local}${state} via ${p.sep.get(ep.endpoint)}: ${rule} -> 1/${n}`)
  })
}

/** Explains, per service port, what the generated rules do. */
export function explainRules(state: ProxyState, options: Partial<GeneratorOptions> = {}): string {
  const opts = withDefaults(options)
  const ports = buildServicePortList(state.services, opts)
  const eps = buildEndpointsMap(state.endpointSlices, opts.hostname, opts.ipFamily)
  const names = new ChainNameCache()
  const lines: string[] = []
  for (const svc of ports) {
    const cat = categorizeEndpoints(eps.get(svc.nameString) ?? [], svc)
    const sep = new Map<string, string>()
    for (const ep of [...cat.clusterEndpoints, ...cat.localEndpoints, ...cat.allReachableEndpoints]) sep.set(ep.endpoint, names.endpointChain(svc.nameString, svc.protocol, ep.endpoint))
    const p = planServicePort(svc, cat, sep)
    const proto = svc.protocol.toUpperCase()
    lines.push(`${svc.nameString} (${proto} ${svc.clusterIP}:${svc.port})`)
    if (!p.hasEndpoints) {
      lines.push('  no usable endpoint: packets to the cluster IP are rejected (filter KUBE-SERVICES REJECT)')
      if (svc.nodePort !== 0 || svc.externalIPs.length > 0 || svc.loadBalancerVIPs.length > 0) lines.push('  external addresses and the NodePort are rejected too (filter KUBE-EXTERNAL-SERVICES)')
      lines.push('')
      continue
    }
    if (p.hasInternalEndpoints) {
      lines.push(`  cluster IP: KUBE-SERVICES -> ${p.internalTrafficChain}${svc.internalPolicyLocal ? ' (internalTrafficPolicy Local: endpoints on this node only)' : ''}`)
    } else {
      lines.push('  cluster IP: dropped on this node (internalTrafficPolicy Local and no endpoint here)')
    }
    const entries: string[] = []
    if (svc.nodePort !== 0) entries.push(`NodePort ${svc.nodePort} (KUBE-NODEPORTS)`)
    for (const ip of svc.externalIPs) entries.push(`external IP ${ip}`)
    for (const ip of svc.loadBalancerVIPs) entries.push(`load-balancer IP ${ip}${p.usesFWChain ? ` via ${svc.firewallChainName} (only from ${svc.loadBalancerSourceRanges.join(', ')})` : ''}`)
    if (entries.length > 0) {
      lines.push(`  from outside: ${entries.join(', ')} -> ${svc.externalChainName}`)
      if (svc.externalPolicyLocal) {
        lines.push(`    externalTrafficPolicy Local: client source IP kept; pods and the node itself use ${svc.clusterPolicyChainName} (node traffic masqueraded)`)
        lines.push(p.hasExternalEndpoints ? `    other clients -> ${svc.localPolicyChainName} (endpoints on this node)` : '    other clients are dropped here: no endpoint on this node (filter KUBE-EXTERNAL-SERVICES DROP)')
      } else {
        lines.push(`    masqueraded (source NAT to this node), then ${svc.clusterPolicyChainName}`)
      }
    }
    if (p.usesClusterPolicyChain) cascade(lines, p, svc.clusterPolicyChainName, cat.clusterEndpoints, '  ')
    if (p.usesLocalPolicyChain) cascade(lines, p, svc.localPolicyChainName, cat.localEndpoints, '  ')
    lines.push('')
  }
  if (ports.length === 0) lines.push('no service ports to proxy (headless and ExternalName services are skipped)', '')
  return lines.join('\n')
}
