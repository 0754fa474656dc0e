import t from 'tap'
import type { Service } from '../../../src/api/types.js'
import { categorizeEndpoints, type EndpointInfo } from '../../../src/proxy/iptables/endpoints.js'
import { LineBuffer } from '../../../src/proxy/iptables/line-buffer.js'
import { withDefaults } from '../../../src/proxy/iptables/options.js'
import { planServicePort, serviceChainsSummary, writeServiceChains, writeTopLevelRules, type SyncBuffers } from '../../../src/proxy/iptables/service-rules.js'
import { servicePortsOf } from '../../../src/proxy/iptables/service-port.js'

const ep = (ip: string, isLocal: boolean): EndpointInfo => ({ ip, port: 80, endpoint: `${ip}:80`, isLocal, ready: true, serving: true, terminating: false, nodeName: isLocal ? 'me' : 'other' })

function plan(spec: Service['spec'], eps: EndpointInfo[], status?: Service['status']) {
  const [svc] = servicePortsOf({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns', name: 's' }, spec, ...(status ? { status } : {}) })
  const cat = categorizeEndpoints(eps, svc!)
  const sep = new Map(eps.map((e) => [e.endpoint, `KUBE-SEP-${e.ip}`]))
  return planServicePort(svc!, cat, sep)
}

const empty = (): SyncBuffers => ({ filterRules: new LineBuffer(), natChains: [], natRules: new LineBuffer() })
const opts = withDefaults({ hostname: 'me', nodeIPs: ['192.168.0.2'], localDetector: { mode: 'ClusterCIDR', cidr: '10.0.0.0/8' } })

t.test('policy decisions (upstream syncProxyRules table)', async (t) => {
  const lb = { type: 'LoadBalancer' as const, clusterIP: '10.96.0.1', externalTrafficPolicy: 'Local' as const, loadBalancerSourceRanges: ['1.2.3.0/24'], ports: [{ name: 'p', port: 80, nodePort: 30000 }] }
  const status = { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } }
  const remoteOnly = plan(lb, [ep('10.0.0.2', false)], status)
  t.same(
    [remoteOnly.hasEndpoints, remoteOnly.hasInternalEndpoints, remoteOnly.hasExternalEndpoints, remoteOnly.usesClusterPolicyChain, remoteOnly.usesLocalPolicyChain, remoteOnly.usesExternalTrafficChain, remoteOnly.usesFWChain],
    [true, true, false, true, false, true, true],
  )
  t.equal(remoteOnly.loadBalancerTrafficChain, remoteOnly.svc.firewallChainName)
  const none = plan(lb, [], status)
  t.same([none.hasEndpoints, none.usesExternalTrafficChain, none.usesFWChain], [false, false, false], 'no endpoints: no nat chains at all')
  const itp = plan({ clusterIP: '10.96.0.1', internalTrafficPolicy: 'Local', ports: [{ name: 'p', port: 80 }] }, [ep('10.0.0.1', true)])
  t.equal(itp.internalTrafficChain, itp.svc.localPolicyChainName)
})

t.test('top-level rules for a service without endpoints go to filter', async (t) => {
  const p = plan({ type: 'NodePort', clusterIP: '10.96.0.1', externalIPs: ['192.168.0.9'], ports: [{ name: 'p', port: 80, nodePort: 30000, protocol: 'UDP' }] }, [])
  const out = empty()
  writeTopLevelRules(p, opts, out)
  t.equal(out.natRules.lines, 0)
  t.same(
    out.filterRules.toLines(),
    [
      '-A KUBE-SERVICES -m comment --comment "ns/s:p has no endpoints" -m udp -p udp -d 10.96.0.1 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns/s:p has no endpoints" -m udp -p udp -d 192.168.0.9 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns/s:p has no endpoints" -m addrtype --dst-type LOCAL -m udp -p udp --dport 30000 -j REJECT',
    ],
  )
})

t.test('serviceChainsSummary counts exactly what writeServiceChains writes', async (t) => {
  const cases = [
    plan({ type: 'LoadBalancer', clusterIP: '10.96.0.1', externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP', loadBalancerSourceRanges: ['192.168.0.0/24'], ports: [{ name: 'p', port: 80, nodePort: 30000 }] }, [ep('10.0.0.1', true), ep('10.0.0.2', false)], { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { ip: '5.6.7.9' }] } }),
    plan({ type: 'NodePort', clusterIP: '10.96.0.1', ports: [{ name: 'p', port: 80, nodePort: 30000 }] }, [ep('10.0.0.1', false)]),
    plan({ clusterIP: '10.96.0.1', internalTrafficPolicy: 'Local', ports: [{ name: 'p', port: 80 }] }, [ep('10.0.0.2', false)]),
  ]
  for (const p of cases) {
    for (const o of [opts, withDefaults({ ...opts, localDetector: { mode: 'None' } }), withDefaults({ ...opts, masqueradeAll: true })]) {
      const out = empty()
      writeServiceChains(p, o, false, out)
      const s = serviceChainsSummary(p, o)
      t.equal(s.rules, out.natRules.lines, `${p.svc.nameString} rules`)
      t.same(s.chains, out.natChains, `${p.svc.nameString} chains`)
      t.equal(s.chainCount, out.natChains.length)
    }
  }
})
