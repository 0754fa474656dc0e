import t from 'tap'
import { CommandError } from '../../src/base/errors.js'
import { RecordingRunner } from '../../src/netns/exec.js'
import { stepLine } from '../../src/netns/step.js'
import {
  applyTopology,
  assertPrefix,
  destroyByPrefix,
  destroyTopology,
  planDestroy,
  parseTopologyState,
  planTopology,
  type Topology,
  type TopologyState,
} from '../../src/netns/topology.js'
import { startTcpServer, tcpRequest, withNamespaces } from '../support/netns.js'

const small: Topology = {
  prefix: 'kplab-a-',
  namespaces: [{ name: 'node', forwarding: true }, { name: 'pod1' }],
  bridges: [{ netns: 'node', name: 'cbr0', addresses: ['10.244.1.1/24'] }],
  veths: [{ a: { netns: 'pod1', name: 'eth0', addresses: ['10.244.1.2/24'] }, b: { netns: 'node', name: 'veth1', master: 'cbr0' } }],
  routes: [{ netns: 'pod1', to: 'default', via: '10.244.1.1' }],
}

t.test('a topology plans to an exact list of ip commands, all inside its namespaces', async (t) => {
  t.same(planTopology(small).map(stepLine), [
    'ip netns add kplab-a-node',
    'ip -n kplab-a-node link set lo up',
    'ip netns exec kplab-a-node sysctl -w net.ipv4.ip_forward=1',
    'ip netns add kplab-a-pod1',
    'ip -n kplab-a-pod1 link set lo up',
    'ip -n kplab-a-node link add cbr0 type bridge',
    'ip -n kplab-a-node addr add 10.244.1.1/24 dev cbr0',
    'ip -n kplab-a-node link set cbr0 up',
    'ip -n kplab-a-pod1 link add eth0 type veth peer name veth1 netns kplab-a-node',
    'ip -n kplab-a-pod1 addr add 10.244.1.2/24 dev eth0',
    'ip -n kplab-a-pod1 link set eth0 up',
    'ip -n kplab-a-node link set veth1 master cbr0',
    'ip -n kplab-a-node link set veth1 up',
    'ip -n kplab-a-pod1 route add default via 10.244.1.1',
  ])
})

t.test('a step in a namespace the topology does not declare is rejected', async (t) => {
  t.throws(() => planTopology({ ...small, routes: [{ netns: 'host', to: 'default', via: '10.0.0.1' }] }), /not in topology.namespaces/)
  t.throws(() => planTopology({ ...small, bridges: [{ netns: '', name: 'br0' }] }), /not in topology.namespaces/)
  t.throws(
    () => planTopology({ ...small, veths: [{ a: { netns: 'pod1', name: 'eth0' }, b: { netns: 'node', name: 'v', master: 'br9' } }] }),
    /not a bridge/,
  )
  t.throws(() => planTopology({ ...small, namespaces: [...small.namespaces, { name: 'node' }] }), /declared twice/)
})

t.test('prefixes must be kplab-<id>- so cleanup by prefix only finds lab names', async (t) => {
  for (const bad of ['', 'kplab-', 'kplab-x', 'lab-x-', 'kplab-x y-']) t.throws(() => assertPrefix(bad), /invalid lab prefix/, bad)
  t.doesNotThrow(() => assertPrefix('kplab-t123-4-'))
  t.throws(() => planDestroy({ prefix: 'kplab-a-', namespaces: ['other'], links: [] }), /outside its prefix/)
})

t.test('apply records each creation; a failure removes what was made and rethrows', async (t) => {
  const seen: TopologyState[] = []
  const ok = new RecordingRunner()
  const state = await applyTopology(small, ok, { record: (s) => void seen.push(s) })
  t.same(state, {
    prefix: 'kplab-a-',
    namespaces: ['kplab-a-node', 'kplab-a-pod1'],
    links: ['kplab-a-node/cbr0', 'kplab-a-pod1/eth0,kplab-a-node/veth1'],
  })
  t.same(JSON.parse(JSON.stringify(state)), state, 'state is JSON-serialisable')
  t.same(seen.map((s) => s.namespaces.length), [1, 2, 2, 2], 'recorded after every creation')

  const failing = new RecordingRunner((c) => (c.args.includes('bridge') ? { code: 2, stderr: 'RTNETLINK answers: Operation not supported' } : undefined))
  await t.rejects(applyTopology(small, failing), CommandError)
  t.same(failing.lines().slice(-2), ['ip netns delete kplab-a-pod1', 'ip netns delete kplab-a-node'], 'rolled back in reverse')
})

t.test('a state read back from JSON is checked before cleanup trusts it', async (t) => {
  const state = { prefix: 'kplab-a-', namespaces: ['kplab-a-node'], links: ['kplab-a-node/cbr0'] }
  t.same(parseTopologyState(JSON.parse(JSON.stringify(state))), state)
  t.throws(() => parseTopologyState(null), /invalid topology state/)
  t.throws(() => parseTopologyState({ ...state, namespaces: [1] }), /invalid topology state/)
  t.throws(() => parseTopologyState({ ...state, namespaces: ['other'] }), /outside prefix/)
  t.throws(() => parseTopologyState({ ...state, prefix: 'x' }), /invalid lab prefix/)
})

t.test('destroy removes the recorded namespaces; destroyByPrefix finds leftovers', async (t) => {
  const runner = new RecordingRunner((c) =>
    c.args[1] === 'list' ? { stdout: 'kplab-a-pod1\nkplab-b-node\nkplab-a-node (id: 3)\n' } : undefined,
  )
  t.same(await destroyTopology({ prefix: 'kplab-a-', namespaces: ['kplab-a-node', 'kplab-a-pod1'], links: [] }, runner), [
    'kplab-a-pod1',
    'kplab-a-node',
  ])
  t.same(await destroyByPrefix('kplab-a-', runner), ['kplab-a-pod1', 'kplab-a-node'])
  t.notOk(runner.lines().some((l) => l.includes('kplab-b-')), 'another prefix is left alone')
  await t.rejects(destroyByPrefix('kplab-', runner), /invalid lab prefix/)
})

t.test('kernel: node + 2 pods + client; TCP pod to pod over the bridge and client to pod through the node', async (t) => {
  const net = await withNamespaces(t, { pods: 2 })
  if (!net) return
  const [pod1, pod2] = net.pods as [typeof net.pods[0], typeof net.pods[0]]
  const server = await startTcpServer(t, pod1.netns, 8080, 'pod1')
  t.equal(await tcpRequest(pod2.netns, pod1.ip, 8080), 'pod1\n', 'pod2 → pod1 over cbr0')
  t.equal(await tcpRequest(net.client!.netns, pod1.ip, 8080), 'pod1\n', 'client → pod1 routed by the node')
  await t.rejects(tcpRequest(pod2.netns, pod2.ip, 8080), /failed/, 'nothing listens in pod2')
  await server.stop()
  const done = await net.cleanup()
  t.same(done.leftover, [], `no namespace left under ${net.prefix}`)
  t.equal(done.rootIptablesChanged, false, "host's root iptables unchanged")
})
