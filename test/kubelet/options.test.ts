import t from 'tap'
import { KUBELET_FLAGS, parseDuration, resolveKubeletOptions } from '../../src/kubelet/options.js'

const env = { home: '/home/u', hostname: 'Worker-1', isRoot: false }

t.test('defaults', async (t) => {
  const o = resolveKubeletOptions({}, env)
  t.match(o, { nodeName: 'worker-1', nodeIP: '127.0.0.1', rootDir: '/home/u/.kplab/kubelet', podNetwork: 'loopback', port: 10250, cpu: '4', memory: '8Gi', maxPods: 110, nodeStatusUpdateFrequencyMs: 10_000, nodeLeaseDurationSeconds: 40 })
  t.equal(o.podCidr, undefined)
  t.match(resolveKubeletOptions({}, { ...env, hostCpu: '16', hostMemory: '1024Ki' }), { cpu: '16', memory: '1024Ki' }, 'capacity from the host')
  t.match(resolveKubeletOptions({ cpu: '2', memory: '1Gi' }, { ...env, hostCpu: '16' }), { cpu: '2', memory: '1Gi' }, 'flags win')
  t.ok(KUBELET_FLAGS.every((f) => f.description.length > 0))
})

t.test('flags are checked with messages naming the flag and the fix', async (t) => {
  t.throws(() => resolveKubeletOptions({ nodeIp: 'x' }, env), /--node-ip: "x" is not an IPv4 address/)
  t.throws(() => resolveKubeletOptions({ podCidr: '10.0.0.0' }, env), /--pod-cidr/)
  t.throws(() => resolveKubeletOptions({ podNetwork: 'netns' }, env), /needs root/)
  t.throws(() => resolveKubeletOptions({ podNetwork: 'netns' }, { ...env, isRoot: true }), /needs --netns/)
  t.throws(() => resolveKubeletOptions({ port: '70000' }, env), /--port/)
  t.throws(() => resolveKubeletOptions({ tlsCertFile: 'a' }, env), /go together/)
  t.throws(() => resolveKubeletOptions({ hostnameOverride: 'bad_name' }, env), /not a valid node name/)
  const o = resolveKubeletOptions({ podNetwork: 'netns', netns: 'kplab-lab-node1', nodeLabels: 'zone=a,tier=web' }, { ...env, isRoot: true })
  t.equal(o.netns, 'kplab-lab-node1')
  t.same(o.nodeLabels, { zone: 'a', tier: 'web' })
})

t.test('parseDuration', async (t) => {
  t.equal(parseDuration('10s', 'f'), 10_000)
  t.equal(parseDuration('1m30s', 'f'), 90_000)
  t.equal(parseDuration('500ms', 'f'), 500)
  t.throws(() => parseDuration('10', '--node-status-update-frequency'), /--node-status-update-frequency: "10" is not a positive duration/)
})
