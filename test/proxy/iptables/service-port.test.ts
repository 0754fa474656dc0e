import t from 'tap'
import type { Service } from '../../../src/api/types.js'
import { externallyAccessible, servicePortNameString, servicePortsOf, shouldSkipService, usesClusterEndpoints, usesLocalEndpoints } from '../../../src/proxy/iptables/service-port.js'

function svc(spec: Service['spec'], status?: Service['status']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns1', name: 'svc1' }, spec, ...(status ? { status } : {}) }
}

t.test('ServicePortName.String(): ":port" only for named ports', async (t) => {
  t.equal(servicePortNameString({ namespace: 'ns1', name: 'svc1', port: 'p80' }), 'ns1/svc1:p80')
  t.equal(servicePortNameString({ namespace: 'ns1', name: 'svc1', port: '' }), 'ns1/svc1')
})

t.test('headless, IP-less and ExternalName services are skipped', async (t) => {
  t.ok(shouldSkipService(svc({ clusterIP: 'None', ports: [{ port: 80 }] })))
  t.ok(shouldSkipService(svc({ ports: [{ port: 80 }] })))
  t.ok(shouldSkipService(svc({ type: 'ExternalName', externalName: 'x.example', clusterIP: '10.0.0.1' })))
  t.same(servicePortsOf(svc({ clusterIP: 'None', ports: [{ port: 80 }] })), [])
  t.same(servicePortsOf(svc({ clusterIP: 'fd00::1', ports: [{ port: 80 }] })), [], 'IPv6-only service on an IPv4 proxier')
})

t.test('fields are filtered and canonicalised like upstream serviceport.go', async (t) => {
  const [p] = servicePortsOf(
    svc(
      {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.45',
        externalIPs: ['192.168.99.33', '2001:db8::1', 'bogus'],
        loadBalancerSourceRanges: [' 203.0.113.000/025', '2001:db8::/64'],
        externalTrafficPolicy: 'Cluster',
        healthCheckNodePort: 30000,
        sessionAffinity: 'ClientIP',
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3002 }],
      },
      { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { ip: '9.9.9.9', ipMode: 'Proxy' }, { hostname: 'lb.example' }] } },
    ),
  )
  t.equal(p!.nameString, 'ns1/svc1:p80')
  t.equal(p!.protocol, 'tcp')
  t.same(p!.externalIPs, ['192.168.99.33'])
  t.same(p!.loadBalancerVIPs, ['5.6.7.8'], 'ipMode Proxy and hostnames are not proxied')
  t.same(p!.loadBalancerSourceRanges, ['203.0.113.0/25'], 'trimmed, masked, this family only')
  t.equal(p!.healthCheckNodePort, 0, 'HCNP only for eTP Local')
  t.equal(p!.stickyMaxAgeSeconds, 10800, 'default ClientIP timeout')
  t.equal(p!.clusterPolicyChainName, 'KUBE-SVC-XPGD46QRK7WJZT7O')
  t.equal(p!.firewallChainName, 'KUBE-FW-XPGD46QRK7WJZT7O')
  const [open] = servicePortsOf(svc({ type: 'LoadBalancer', clusterIP: '10.0.0.1', loadBalancerSourceRanges: ['10.0.0.0/8', '0.0.0.0/0'], ports: [{ port: 80 }] }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }))
  t.same(open!.loadBalancerSourceRanges, [], '0.0.0.0/0 means no restriction')
})

t.test('traffic-policy predicates', async (t) => {
  const [clusterIP] = servicePortsOf(svc({ clusterIP: '10.0.0.1', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }))
  t.equal(clusterIP!.externalPolicyLocal, false, 'eTP counts only for NodePort and LoadBalancer')
  t.notOk(externallyAccessible(clusterIP!))
  const [itp] = servicePortsOf(svc({ clusterIP: '10.0.0.1', internalTrafficPolicy: 'Local', ports: [{ port: 80 }] }))
  t.notOk(usesClusterEndpoints(itp!))
  t.ok(usesLocalEndpoints(itp!))
  const [etp] = servicePortsOf(svc({ type: 'NodePort', clusterIP: '10.0.0.1', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30001 }] }))
  t.ok(usesClusterEndpoints(etp!))
  t.ok(usesLocalEndpoints(etp!))
})
