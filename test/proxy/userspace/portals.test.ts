import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import t from 'tap'
import type { EndpointSlice, Service } from '../../../src/api/types.js'
import { FakeIptables } from '../../../src/proxy/iptables/fake-iptables.js'
import { PORTAL_CHAINS, PortalWriter, portalsPayload, type PortalMapping } from '../../../src/proxy/userspace/portals.js'
import { startTcpServer, tcpRequest, withNamespaces } from '../../support/netns.js'

const web: PortalMapping = { servicePort: 'default/web:http', protocol: 'tcp', clusterIP: '10.96.0.50', port: 80, externalIPs: ['192.0.2.7'], nodePort: 30080, proxyPort: 40001 }
const dns: PortalMapping = { servicePort: 'kube-system/dns:dns', protocol: 'udp', clusterIP: '10.96.0.10', port: 53, externalIPs: [], nodePort: 0, proxyPort: 40002 }

t.test('portal payload: upstream userspace layout, one REDIRECT per address and chain', async (t) => {
  // Written by hand from upstream pkg/proxy/userspace/proxier.go (v1.25) rule shapes.
  t.equal(
    portalsPayload([web, dns]),
    [
      '*nat',
      ':KUBE-PORTALS-CONTAINER - [0:0]',
      ':KUBE-PORTALS-HOST - [0:0]',
      ':KUBE-NODEPORT-CONTAINER - [0:0]',
      ':KUBE-NODEPORT-HOST - [0:0]',
      '-A KUBE-PORTALS-CONTAINER -m comment --comment default/web:http -p tcp -m tcp --dport 80 -d 10.96.0.50/32 -j REDIRECT --to-ports 40001',
      '-A KUBE-PORTALS-HOST -m comment --comment default/web:http -p tcp -m tcp --dport 80 -d 10.96.0.50/32 -j REDIRECT --to-ports 40001',
      '-A KUBE-PORTALS-CONTAINER -m comment --comment default/web:http -p tcp -m tcp --dport 80 -d 192.0.2.7/32 -j REDIRECT --to-ports 40001',
      '-A KUBE-PORTALS-HOST -m comment --comment default/web:http -p tcp -m tcp --dport 80 -d 192.0.2.7/32 -j REDIRECT --to-ports 40001',
      '-A KUBE-NODEPORT-CONTAINER -m comment --comment default/web:http -p tcp -m tcp --dport 30080 -j REDIRECT --to-ports 40001',
      '-A KUBE-NODEPORT-HOST -m comment --comment default/web:http -p tcp -m tcp --dport 30080 -j REDIRECT --to-ports 40001',
      '-A KUBE-PORTALS-CONTAINER -m comment --comment kube-system/dns:dns -p udp -m udp --dport 53 -d 10.96.0.10/32 -j REDIRECT --to-ports 40002',
      '-A KUBE-PORTALS-HOST -m comment --comment kube-system/dns:dns -p udp -m udp --dport 53 -d 10.96.0.10/32 -j REDIRECT --to-ports 40002',
      'COMMIT',
      '',
    ].join('\n'),
  )
})

t.test('PortalWriter installs jumps once, replaces rules on sync, removes everything on cleanup', async (t) => {
  const ipt = new FakeIptables()
  const w = new PortalWriter(ipt)
  await w.sync([web])
  t.same(ipt.rules('nat', 'PREROUTING').map((r) => r.at(-1)), ['KUBE-PORTALS-CONTAINER', 'KUBE-NODEPORT-CONTAINER'])
  t.same(ipt.rules('nat', 'OUTPUT').map((r) => r.at(-1)), ['KUBE-PORTALS-HOST', 'KUBE-NODEPORT-HOST'])
  t.equal(ipt.rules('nat', 'KUBE-PORTALS-CONTAINER').length, 2)
  await w.sync([dns])
  t.equal(ipt.rules('nat', 'KUBE-PORTALS-CONTAINER').length, 1, 'a sync replaces the previous rules')
  t.equal(ipt.rules('nat', 'KUBE-NODEPORT-HOST').length, 0)
  t.equal(ipt.rules('nat', 'PREROUTING').length, 2, 'jumps are not duplicated')
  await w.cleanup()
  t.same(ipt.rules('nat', 'PREROUTING'), [])
  t.same(ipt.rules('nat', 'OUTPUT'), [])
  for (const c of PORTAL_CHAINS) t.notOk(ipt.chains('nat').includes(c), `${c} deleted`)
})

function svc(name: string, ip: string, algorithm: string, nodePort: number): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', annotations: { 'kplab.io/lb-algorithm': algorithm } },
    spec: { type: 'NodePort', clusterIP: ip, ports: [{ name: 'p', port: 80, protocol: 'TCP', targetPort: 8080, nodePort }] },
  } as Service
}

function slice(name: string, ips: string[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true }, nodeName: 'node-1' })),
    ports: [{ name: 'p', port: 8080, protocol: 'TCP' }],
  }
}

t.test('kernel: ClusterIP and NodePort traffic REDIRECTed to the proxy reaches the pods with the chosen algorithm', async (t) => {
  const lab = await withNamespaces(t, { pods: 3 })
  if (lab === undefined) return
  const client = lab.client!
  for (const [i, pod] of lab.pods.entries()) await startTcpServer(t, pod.netns, 8080, `pod${i + 1}`)
  const podIPs = lab.pods.map((p) => p.ip)
  const objects = {
    services: [svc('rr', '10.96.0.50', 'round-robin', 30080), svc('hash', '10.96.0.51', 'ip-hash', 30081)],
    slices: [slice('rr', podIPs), slice('hash', podIPs)],
  }
  const child = spawn('ip', ['netns', 'exec', lab.node.netns, process.execPath, '--import', 'tsx', 'test/proxy/userspace/kernel-proxy.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KPLAB_KERNEL_OBJECTS: JSON.stringify(objects) },
  })
  let exited = false
  child.on('exit', () => (exited = true))
  t.teardown(async () => {
    if (exited) return
    const gone = once(child, 'exit')
    child.kill('SIGTERM')
    await gone
  })
  let stderr = ''
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => l === 'synced' && resolve())
    child.on('exit', (code) => reject(new Error(`proxy exited (${code}) before syncing: ${stderr}`)))
  })
  // Round-robin through the ClusterIP: every pod once per three connections, in a repeating order.
  const rr: string[] = []
  for (let i = 0; i < 6; i++) rr.push((await tcpRequest(client.netns, '10.96.0.50', 80)).trim())
  t.same(new Set(rr.slice(0, 3)), new Set(['pod1', 'pod2', 'pod3']), `round-robin over the pods via ClusterIP (${rr.join(',')})`)
  t.same(rr.slice(3), rr.slice(0, 3), 'and the rotation repeats')
  // The same through the NodePort on the node's address.
  const np: string[] = []
  for (let i = 0; i < 3; i++) np.push((await tcpRequest(client.netns, lab.node.ip, 30080)).trim())
  t.same(new Set(np), new Set(['pod1', 'pod2', 'pod3']), `NodePort 30080 reaches every pod (${np.join(',')})`)
  // ip-hash: one client address, one pod, whatever the connection.
  const hashed: string[] = []
  for (let i = 0; i < 4; i++) hashed.push((await tcpRequest(client.netns, '10.96.0.51', 80)).trim())
  t.equal(new Set(hashed).size, 1, `ip-hash keeps the client on one pod (${hashed.join(',')})`)
  t.match(hashed[0], /^pod[123]$/)
  const { leftover, rootIptablesChanged } = await lab.cleanup()
  t.same(leftover, [], 'no namespace left behind')
  t.notOk(rootIptablesChanged, "the host's root iptables did not change")
})
