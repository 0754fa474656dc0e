// The rules of one service port, in upstream's order (syncProxyRules' per-service loop body).
import type { LineBuffer } from './line-buffer.js'
import type { CategorizedEndpoints, EndpointInfo } from './endpoints.js'
import { cidrContains, parseCIDR, parseIP } from './ip.js'
import { ifLocal, ifNotLocal, type GeneratorOptions } from './options.js'
import { probability } from './probability.js'
import { externallyAccessible, usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './service-port.js'

/**
 * Output buffers of one sync, in upstream's names: rule lines written as bytes and nat chain names.
 * Bytes, not argument arrays or strings: at 320k rules, retained objects cost more in GC than
 * everything else (upstream writes straight into byte buffers for the same reason).
 */
export interface SyncBuffers {
  filterRules: LineBuffer
  natChains: string[]
  natRules: LineBuffer
}

/** One service port with its categorised endpoints and the decisions derived from them. */
export interface ServicePlan {
  svc: ServicePortInfo
  cat: CategorizedEndpoints
  /** KUBE-SEP name per endpoint string, for every endpoint in `cat`. */
  sep: ReadonlyMap<string, string>
  hasEndpoints: boolean
  hasInternalEndpoints: boolean
  hasExternalEndpoints: boolean
  usesClusterPolicyChain: boolean
  usesLocalPolicyChain: boolean
  usesExternalTrafficChain: boolean
  usesFWChain: boolean
  internalTrafficChain: string
  externalPolicyChain: string
  loadBalancerTrafficChain: string
}

/** Derives the per-service decisions exactly as upstream's syncProxyRules does. */
// upstream: pkg/proxy/iptables/proxier.go (syncProxyRules: policy chains and *Endpoints flags)
export function planServicePort(svc: ServicePortInfo, cat: CategorizedEndpoints, sep: ReadonlyMap<string, string>): ServicePlan {
  const hasEndpoints = cat.hasAnyEndpoints
  const usesClusterPolicyChain = cat.clusterEndpoints.length > 0 && usesClusterEndpoints(svc)
  const usesLocalPolicyChain = cat.localEndpoints.length > 0 && usesLocalEndpoints(svc)
  let internalTrafficChain = svc.clusterPolicyChainName
  let hasInternalEndpoints = hasEndpoints
  if (svc.internalPolicyLocal) {
    internalTrafficChain = svc.localPolicyChainName
    if (cat.localEndpoints.length === 0) hasInternalEndpoints = false
  }
  let externalPolicyChain = svc.clusterPolicyChainName
  let hasExternalEndpoints = hasEndpoints
  if (svc.externalPolicyLocal) {
    externalPolicyChain = svc.localPolicyChainName
    if (cat.localEndpoints.length === 0) hasExternalEndpoints = false
  }
  // The EXT chain exists whenever there are endpoints anywhere: it carries the short-circuit
  // rules for pod and node traffic even when no endpoint is usable from outside.
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc)
  const usesFWChain = hasEndpoints && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0
  return {
    svc,
    cat,
    sep,
    hasEndpoints,
    hasInternalEndpoints,
    hasExternalEndpoints,
    usesClusterPolicyChain,
    usesLocalPolicyChain,
    usesExternalTrafficChain,
    usesFWChain,
    internalTrafficChain,
    externalPolicyChain,
    loadBalancerTrafficChain: usesFWChain ? svc.firewallChainName : svc.externalChainName,
  }
}

/** Writes the top-level rules of one service port (always written, full or partial sync). */
// upstream: pkg/proxy/iptables/proxier.go (syncProxyRules: "Capture the clusterIP" … "Capture healthCheckNodePorts")
export function writeTopLevelRules(p: ServicePlan, opts: GeneratorOptions, out: SyncBuffers): void {
  const { svc } = p
  const s = svc.nameString
  const proto = svc.protocol
  const port = String(svc.port)
  let internalFilterTarget = ''
  let internalFilterComment = ''
  let externalFilterTarget = ''
  let externalFilterComment = ''
  if (!p.hasEndpoints) {
    internalFilterTarget = externalFilterTarget = 'REJECT'
    internalFilterComment = externalFilterComment = `"${s} has no endpoints"`
  } else {
    if (!p.hasInternalEndpoints) {
      internalFilterTarget = 'DROP'
      internalFilterComment = `"${s} has no local endpoints"`
    }
    if (!p.hasExternalEndpoints) {
      externalFilterTarget = 'DROP'
      externalFilterComment = `"${s} has no local endpoints"`
    }
  }

  if (p.hasInternalEndpoints) {
    out.natRules.writeLine(`-A KUBE-SERVICES -m comment --comment "${s} cluster IP" -m ${proto} -p ${proto} -d ${svc.clusterIP} --dport ${port} -j ${p.internalTrafficChain}`)
  } else {
    out.filterRules.write('-A', 'KUBE-SERVICES', ['-m', 'comment', '--comment', internalFilterComment, '-m', proto, '-p', proto, '-d', svc.clusterIP, '--dport', port, '-j', internalFilterTarget])
  }

  for (const eip of svc.externalIPs) {
    if (p.hasEndpoints) {
      out.natRules.write('-A', 'KUBE-SERVICES', ['-m', 'comment', '--comment', `"${s} external IP"`, '-m', proto, '-p', proto, '-d', eip, '--dport', port, '-j', svc.externalChainName])
    }
    if (!p.hasExternalEndpoints) {
      out.filterRules.write('-A', 'KUBE-EXTERNAL-SERVICES', ['-m', 'comment', '--comment', externalFilterComment, '-m', proto, '-p', proto, '-d', eip, '--dport', port, '-j', externalFilterTarget])
    }
  }

  for (const lbip of svc.loadBalancerVIPs) {
    if (p.hasEndpoints) {
      out.natRules.write('-A', 'KUBE-SERVICES', ['-m', 'comment', '--comment', `"${s} loadbalancer IP"`, '-m', proto, '-p', proto, '-d', lbip, '--dport', port, '-j', p.loadBalancerTrafficChain])
    }
    if (p.usesFWChain) {
      out.filterRules.write('-A', 'KUBE-PROXY-FIREWALL', ['-m', 'comment', '--comment', `"${s} traffic not accepted by ${svc.firewallChainName}"`, '-m', proto, '-p', proto, '-d', lbip, '--dport', port, '-j', 'DROP'])
    }
  }
  if (!p.hasExternalEndpoints) {
    for (const lbip of svc.loadBalancerVIPs) {
      out.filterRules.write('-A', 'KUBE-EXTERNAL-SERVICES', ['-m', 'comment', '--comment', externalFilterComment, '-m', proto, '-p', proto, '-d', lbip, '--dport', port, '-j', externalFilterTarget])
    }
  }

  if (svc.nodePort !== 0) {
    const np = String(svc.nodePort)
    if (p.hasEndpoints) {
      // NodePorts always go through EXT and are not subject to loadBalancerSourceRanges.
      if (opts.localhostNodePorts && opts.ipFamily === 'IPv4' && opts.nfacct.localhostNodePortsAcceptedPkts) {
        out.natRules.write('-A', 'KUBE-NODEPORTS', ['-m', 'comment', '--comment', s, '-m', proto, '-p', proto, '-d', '127.0.0.0/8', '--dport', np, '-m', 'nfacct', '--nfacct-name', 'localhost_nps_accepted_pkts', '-j', svc.externalChainName])
      }
      out.natRules.write('-A', 'KUBE-NODEPORTS', ['-m', 'comment', '--comment', s, '-m', proto, '-p', proto, '--dport', np, '-j', svc.externalChainName])
    }
    if (!p.hasExternalEndpoints) {
      out.filterRules.write('-A', 'KUBE-EXTERNAL-SERVICES', ['-m', 'comment', '--comment', externalFilterComment, '-m', 'addrtype', '--dst-type', 'LOCAL', '-m', proto, '-p', proto, '--dport', np, '-j', externalFilterTarget])
    }
  }

  if (svc.healthCheckNodePort !== 0) {
    // Health checks are always TCP, whatever the service's protocol.
    out.filterRules.write('-A', 'KUBE-NODEPORTS', ['-m', 'comment', '--comment', `"${s} health check node port"`, '-m', 'tcp', '-p', 'tcp', '--dport', String(svc.healthCheckNodePort), '-j', 'ACCEPT'])
  }
}

/** The node IP (first of --node-ip) falls inside one of the source ranges. */
function allowFromNode(svc: ServicePortInfo, opts: GeneratorOptions): boolean {
  const nodeIP = opts.nodeIPs.length > 0 ? parseIP(opts.nodeIPs[0]!) : undefined
  if (nodeIP === undefined) return false
  return svc.loadBalancerSourceRanges.some((r) => {
    const c = parseCIDR(r)
    return c !== undefined && cidrContains(c, nodeIP)
  })
}

/** Writes the per-service chains (masquerade, EXT, FW, SVC, SVL, SEPs); skipped for unchanged services in partial syncs. */
// upstream: pkg/proxy/iptables/proxier.go (syncProxyRules: "Set up internal traffic handling" … per-endpoint chains)
export function writeServiceChains(p: ServicePlan, opts: GeneratorOptions, largeClusterMode: boolean, out: SyncBuffers): void {
  const { svc, cat } = p
  const s = svc.nameString
  const proto = svc.protocol
  if (p.hasInternalEndpoints) {
    const rule = `-A ${p.internalTrafficChain} -m comment --comment "${s} cluster IP" -m ${proto} -p ${proto} -d ${svc.clusterIP} --dport ${svc.port}`
    if (opts.masqueradeAll) {
      out.natRules.writeLine(`${rule} -j KUBE-MARK-MASQ`)
    } else {
      const notLocal = ifNotLocal(opts.localDetector)
      // Off-cluster traffic to the VIP may be bounced to another node: masquerade it.
      if (notLocal !== undefined) out.natRules.writeLine(`${rule} ${notLocal.join(' ')} -j KUBE-MARK-MASQ`)
    }
  }

  if (p.usesExternalTrafficChain) {
    const ext = svc.externalChainName
    out.natChains.push(ext)
    if (!svc.externalPolicyLocal) {
      out.natRules.write('-A', ext, ['-m', 'comment', '--comment', `"masquerade traffic for ${s} external destinations"`, '-j', 'KUBE-MARK-MASQ'])
    } else {
      const local = ifLocal(opts.localDetector)
      // Pod traffic to an external destination acts as if it went out to the LB and came back.
      if (local !== undefined) {
        out.natRules.write('-A', ext, ['-m', 'comment', '--comment', `"pod traffic for ${s} external destinations"`, ...local, '-j', svc.clusterPolicyChainName])
      }
      out.natRules.write('-A', ext, ['-m', 'comment', '--comment', `"masquerade LOCAL traffic for ${s} external destinations"`, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'KUBE-MARK-MASQ'])
      out.natRules.write('-A', ext, ['-m', 'comment', '--comment', `"route LOCAL traffic for ${s} external destinations"`, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', svc.clusterPolicyChainName])
    }
    if (p.hasExternalEndpoints) out.natRules.write('-A', ext, ['-j', p.externalPolicyChain])
  }

  if (p.usesFWChain) {
    const fw = svc.firewallChainName
    out.natChains.push(fw)
    const head = ['-m', 'comment', '--comment', `"${s} loadbalancer IP"`]
    for (const cidr of svc.loadBalancerSourceRanges) out.natRules.write('-A', fw, [...head, '-s', cidr, '-j', svc.externalChainName])
    // A node reaching its own LB VIP loops back with the VIP as source address.
    if (allowFromNode(svc, opts)) {
      for (const lbip of svc.loadBalancerVIPs) out.natRules.write('-A', fw, [...head, '-s', lbip, '-j', svc.externalChainName])
    }
    // No -j: a packet reaching here is not DNATed and KUBE-PROXY-FIREWALL drops it.
    out.natRules.write('-A', fw, ['-m', 'comment', '--comment', `"other traffic to ${s} will be dropped by KUBE-PROXY-FIREWALL"`])
  }

  if (p.usesClusterPolicyChain) {
    out.natChains.push(svc.clusterPolicyChainName)
    writeServiceToEndpointRules(p, svc.clusterPolicyChainName, cat.clusterEndpoints, largeClusterMode, out)
  }
  if (p.usesLocalPolicyChain) {
    out.natChains.push(svc.localPolicyChainName)
    writeServiceToEndpointRules(p, svc.localPolicyChainName, cat.localEndpoints, largeClusterMode, out)
  }

  // The hot loop at 10k services writes each rule as its existing pieces (see LineBuffer.put).
  const rules = out.natRules
  const dnatMatch = ` -m ${proto} -p ${proto} -j DNAT --to-destination `
  for (const ep of cat.allReachableEndpoints) {
    const chain = p.sep.get(ep.endpoint)!
    out.natChains.push(chain)
    // Hairpin: a pod reaching itself through the VIP must be masqueraded to get the reply.
    rules.put('-A ')
    rules.put(chain)
    if (!largeClusterMode) {
      rules.put(' -m comment --comment ')
      rules.put(s)
    }
    rules.put(' -s ')
    rules.put(ep.ip)
    rules.put(' -j KUBE-MARK-MASQ')
    rules.endLine()
    rules.put('-A ')
    rules.put(chain)
    if (!largeClusterMode) {
      rules.put(' -m comment --comment ')
      rules.put(s)
    }
    if (svc.sessionAffinityClientIP) {
      rules.put(' -m recent --name ')
      rules.put(chain)
      rules.put(' --set')
    }
    rules.put(dnatMatch)
    rules.put(ep.endpoint)
    rules.endLine()
  }
}

/** The affinity rules then the probability cascade from a policy chain to its endpoints. */
// upstream: pkg/proxy/iptables/proxier.go (writeServiceToEndpointRules)
function writeServiceToEndpointRules(p: ServicePlan, chain: string, endpoints: readonly EndpointInfo[], largeClusterMode: boolean, out: SyncBuffers): void {
  const { svc } = p
  const s = svc.nameString
  if (svc.sessionAffinityClientIP) {
    for (const ep of endpoints) {
      const sep = p.sep.get(ep.endpoint)!
      const comment = largeClusterMode ? [] : ['-m', 'comment', '--comment', `"${s} -> ${ep.endpoint}"`]
      out.natRules.write('-A', chain, [...comment, '-m', 'recent', '--name', sep, '--rcheck', '--seconds', String(svc.stickyMaxAgeSeconds), '--reap', '-j', sep])
    }
  }
  const n = endpoints.length
  const rules = out.natRules
  for (let i = 0; i < n; i++) {
    const ep = endpoints[i]!
    rules.put('-A ')
    rules.put(chain)
    if (!largeClusterMode) {
      rules.put(' -m comment --comment "')
      rules.put(s)
      rules.put(' -> ')
      rules.put(ep.endpoint)
      rules.put('"')
    }
    // Rule i matches with 1/(n-i) of what reaches it, so every endpoint gets 1/n overall.
    if (i < n - 1) {
      rules.put(' -m statistic --mode random --probability ')
      rules.put(probability(n - i))
    }
    rules.put(' -j ')
    rules.put(p.sep.get(ep.endpoint)!)
    rules.endLine()
  }
}

/** Chains a skipped (unchanged) service keeps active (SEPs only if named in `sep`), and how many rules it would have written. */
export function serviceChainsSummary(p: ServicePlan, opts: GeneratorOptions): { chains: string[]; chainCount: number; rules: number } {
  const { svc, cat } = p
  const chains: string[] = []
  let rules = 0
  if (p.hasInternalEndpoints && (opts.masqueradeAll || opts.localDetector.mode !== 'None')) rules++
  if (p.usesExternalTrafficChain) {
    chains.push(svc.externalChainName)
    rules += svc.externalPolicyLocal ? (opts.localDetector.mode !== 'None' ? 3 : 2) : 1
    if (p.hasExternalEndpoints) rules++
  }
  if (p.usesFWChain) {
    chains.push(svc.firewallChainName)
    rules += svc.loadBalancerSourceRanges.length + 1 + (allowFromNode(svc, opts) ? svc.loadBalancerVIPs.length : 0)
  }
  const affinity = svc.sessionAffinityClientIP ? 2 : 1
  if (p.usesClusterPolicyChain) {
    chains.push(svc.clusterPolicyChainName)
    rules += affinity * cat.clusterEndpoints.length
  }
  if (p.usesLocalPolicyChain) {
    chains.push(svc.localPolicyChainName)
    rules += affinity * cat.localEndpoints.length
  }
  const perServiceChains = chains.length
  for (const ep of cat.allReachableEndpoints) {
    const sep = p.sep.get(ep.endpoint)
    if (sep !== undefined) chains.push(sep)
  }
  rules += 2 * cat.allReachableEndpoints.length
  return { chains, chainCount: perServiceChains + cat.allReachableEndpoints.length, rules }
}
