// The one source of component flags: golden args for the master and a node, in both proxy modes.
import t from 'tap'
import { labComponents, type ComponentContext } from '../../src/lab/components.js'
import { parseLabSettings, labMachines } from '../../src/lab/settings.js'
import { LAB_SETTINGS_YAML } from '../support/lab-settings.js'

const settings = parseLabSettings(
  LAB_SETTINGS_YAML,
  'test',
)
const [master, node1] = labMachines(settings)
const ctx: ComponentContext = {
  settings,
  stateDir: '/var/lib/kplab',
  kubeconfig: '/var/lib/kplab/apiserver/admin.kubeconfig',
  proxyMode: 'iptables',
  lbAlgorithm: 'round-robin',
  netns: (m) => `kplab-lab-${m}`,
}
const KC = ['--kubeconfig', '/var/lib/kplab/apiserver/admin.kubeconfig']

t.test('master: apiserver on the master address, controller manager with the cluster CIDR, scheduler', async (t) => {
  const specs = labComponents(ctx, master!)
  t.same(specs.map((s) => [s.name, s.machine]), [['apiserver', 'master'], ['controller-manager', 'master'], ['scheduler', 'master']])
  t.same(specs[0]!.args, [
    'apiserver', '--data-dir', '/var/lib/kplab/apiserver', '--bind-address', '192.168.56.10', '--secure-port', '6443',
    '--advertise-address', '192.168.56.10', '--service-cluster-ip-range', '10.96.0.0/12', '--service-node-port-range', '30000-32767',
  ])
  t.same(specs[1]!.args, ['controller-manager', ...KC, '--cluster-cidr', '10.244.0.0/16', '--leader-elect', 'false'])
  t.same(specs[2]!.args, ['scheduler', ...KC, '--leader-elect', 'false'])
  const m = new RegExp(specs[0]!.ready).exec('kplab apiserver listening on https://192.168.56.10:6443 (kubeconfig: /var/lib/kplab/apiserver/admin.kubeconfig)')
  t.same(m?.slice(1), ['https://192.168.56.10:6443', '/var/lib/kplab/apiserver/admin.kubeconfig'], 'the ready regexp captures URL and kubeconfig')
})

t.test('node in iptables mode: kubelet with netns pod network, iptables proxy, userspace side-proxy', async (t) => {
  const specs = labComponents(ctx, node1!)
  t.same(specs.map((s) => s.name), ['kubelet', 'proxy', 'proxy-userspace'])
  t.same(specs[0]!.args, [
    'kubelet', ...KC, '--hostname-override', 'node1', '--node-ip', '192.168.56.11', '--pod-cidr', '10.244.1.0/24',
    '--root-dir', '/var/lib/kplab/node1', '--port', '10250', '--pod-network', 'netns', '--netns', 'kplab-lab-node1',
    '--node-status-update-frequency', '2s',
  ])
  t.same(specs[1]!.args, [
    'proxy', '--mode', 'iptables', ...KC, '--hostname-override', 'node1', '--metrics-bind-address', '192.168.56.11:10249',
    '--lb-algorithm', 'round-robin', '--cluster-cidr', '10.244.0.0/16', '--netns', 'kplab-lab-node1',
  ])
  t.same(specs[2]!.args, [
    'proxy', '--mode', 'userspace', ...KC, '--hostname-override', 'node1', '--metrics-bind-address', '192.168.56.11:10251',
    '--lb-algorithm', 'round-robin', '--service-proxy-name', 'kplab-userspace', '--netns', 'kplab-lab-node1',
  ])
  t.ok(new RegExp(specs[0]!.ready).test('kplab kubelet node1 serving on http://192.168.56.11:10250'))
  t.equal(new RegExp(specs[1]!.ready).exec('kplab proxy (iptables) serving metrics on http://192.168.56.11:10249')?.[1], 'http://192.168.56.11:10249')
})

t.test('node in userspace mode on a VM (no netns): one userspace proxy, loopback pods', async (t) => {
  const { netns: _ignored, ...vm } = ctx
  const specs = labComponents({ ...vm, proxyMode: 'userspace', lbAlgorithm: 'p2c' }, node1!)
  t.same(specs.map((s) => s.name), ['kubelet', 'proxy'])
  t.same(specs[0]!.args.slice(-4), ['--pod-network', 'loopback', '--node-status-update-frequency', '2s'])
  t.same(specs[1]!.args, ['proxy', '--mode', 'userspace', ...KC, '--hostname-override', 'node1', '--metrics-bind-address', '192.168.56.11:10249', '--lb-algorithm', 'p2c'])
})

t.test('a node machine without a pod CIDR is refused', async (t) => {
  t.throws(() => labComponents(ctx, { name: 'node9', role: 'node', address: '192.168.56.19' }), /node9 is a node without a podCIDR/)
})
