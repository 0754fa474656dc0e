// Root pod networking: the exact plan for one pod (pure), and, as root (required in CI), a real
// kubelet putting a pod in its own namespace on the node's bridge, reachable on its pod IP from
// another namespace, with its address released and its namespace gone after delete.
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import t from 'tap'
import { listNamespaces } from '../../../src/netns/namespace.js'
import { stepLine } from '../../../src/netns/step.js'
import { hostVethName, podNetnsName, podSetupSteps } from '../../../src/kubelet/network/netns.js'
import { withNamespaces } from '../../support/netns.js'
import { boundPod, PODS, ready, startControl, startKubelet, TCP_READY, until, workerFor } from '../harness.js'

t.test('podSetupSteps: namespace, veth on the bridge, address, default route — nothing in the root namespace', async (t) => {
  const podNetns = podNetnsName('kplab-x-node', 'd2a4c1f0-1111-2222-3333-444455556666')
  t.equal(podNetns, 'kplab-x-node-pd2a4c1f0')
  t.equal(hostVethName('d2a4c1f0-1111'), 'vethd2a4c1f0')
  const lines = podSetupSteps({ nodeNetns: 'kplab-x-node', podNetns, hostVeth: 'vethd2a4c1f0', bridge: 'cbr0', ip: '10.244.1.5', prefixBits: 24, gateway: '10.244.1.1' }).map(stepLine)
  t.same(lines, [
    'ip netns add kplab-x-node-pd2a4c1f0',
    'ip -n kplab-x-node-pd2a4c1f0 link set lo up',
    'ip -n kplab-x-node-pd2a4c1f0 link add eth0 type veth peer name vethd2a4c1f0 netns kplab-x-node',
    'ip -n kplab-x-node link set vethd2a4c1f0 master cbr0',
    'ip -n kplab-x-node link set vethd2a4c1f0 up',
    'ip -n kplab-x-node-pd2a4c1f0 addr add 10.244.1.5/24 dev eth0',
    'ip -n kplab-x-node-pd2a4c1f0 link set eth0 up',
    'ip -n kplab-x-node-pd2a4c1f0 route add default via 10.244.1.1',
  ])
})

function httpFrom(netns: string, url: string): Promise<string> {
  const script = `require('http').get(${JSON.stringify(url)}, { timeout: 5000 }, (r) => { let d = ''; r.on('data', (c) => (d += c)); r.on('end', () => process.stdout.write(d)) }).on('error', (e) => { console.error(e.message); process.exit(1) })`
  return new Promise((resolve, reject) => {
    execFile('ip', ['netns', 'exec', netns, process.execPath, '-e', script], { encoding: 'utf8' }, (err, stdout, stderr) => (err ? reject(new Error(`${url} from ${netns}: ${stderr || err.message}`)) : resolve(stdout)))
  })
}

t.test('as root: a pod in its own namespace on the node bridge answers on its pod IP from another namespace', async (t) => {
  const net = await withNamespaces(t, { pods: 0, client: true })
  if (!net) return
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir(), podCidr: '10.244.1.0/24', netns: net.node.netns, runner: net.runner })
  await c.client.create(PODS, boundPod('web', 'node-a', { ports: [{ containerPort: 8080 }], readinessProbe: TCP_READY }))
  const w = await workerFor(k, 'web')
  const pod = await until(w, (p) => ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  const ip = pod.status!.podIP!
  t.equal(ip, '10.244.1.2', 'the first address after the gateway')
  const podNetns = podNetnsName(net.node.netns, pod.metadata.uid!)
  t.same(await listNamespaces(net.runner, podNetns), [podNetns], 'the pod has its own namespace')
  const body = JSON.parse(await httpFrom(net.client!.netns, `http://${ip}:8080/`))
  t.equal(body.pod, 'web')
  t.equal(body.podIP, ip)
  t.match(body.client, /^192\.168\.56\.100$|^::ffff:192\.168\.56\.100$/, 'reached across the node from the client namespace')

  const terminated = once(w, 'terminated')
  await c.client.delete(PODS, 'default', 'web')
  await terminated
  t.equal(k.network!.addressOf(pod.metadata.uid!), undefined, 'IPAM released')
  t.same(await listNamespaces(net.runner, podNetns), [], 'the pod namespace is gone')
  const left = await net.cleanup()
  t.same(left.leftover, [], 'no namespace left under the prefix')
  t.notOk(left.rootIptablesChanged, "the host's iptables untouched")
})
