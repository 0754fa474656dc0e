import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UsageError } from '../../../src/base/errors.js'
import { labInfo, labRoutes, labUnits, runLabUnits, type LabUnitsFlags } from '../../../src/cli/commands/lab-units.js'
import { loadLabSettings } from '../../../src/lab/settings.js'
import { memoryIo } from '../../support/cli-io.js'

const settings = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'vagrant', 'settings.yaml')

const flags = (machine: string, extra: Partial<LabUnitsFlags> = {}): LabUnitsFlags => ({
  machine,
  settings,
  stateDir: '/var/lib/kplab',
  proxyMode: 'iptables',
  lbAlgorithm: 'round-robin',
  kplab: '/usr/bin/node /opt/kplab/bin/kplab.js',
  logLevel: 'info',
  ...extra,
})

t.test('--list: the units of a machine in start order', async (t) => {
  const master = memoryIo()
  runLabUnits(flags('master', { list: true }), master)
  t.equal(master.stdout(), 'kplab-apiserver.service\nkplab-controller-manager.service\nkplab-scheduler.service\n')
  const node = memoryIo()
  runLabUnits(flags('node2', { list: true }), node)
  t.equal(node.stdout(), 'kplab-kubelet.service\nkplab-proxy.service\nkplab-proxy-userspace.service\n')
  const userspace = memoryIo()
  runLabUnits(flags('node2', { list: true, proxyMode: 'userspace' }), userspace)
  t.equal(userspace.stdout(), 'kplab-kubelet.service\nkplab-proxy.service\n', 'no side proxy in userspace mode')
})

t.test('--out writes one file per unit and prints the names; --dry-run prints them under # DIR/NAME', async (t) => {
  const dir = t.testdir()
  const io = memoryIo()
  runLabUnits(flags('node1', { out: dir }), io)
  t.equal(io.stdout(), 'kplab-kubelet.service\nkplab-proxy.service\nkplab-proxy-userspace.service\n')
  t.same(readdirSync(dir).sort(), ['kplab-kubelet.service', 'kplab-proxy-userspace.service', 'kplab-proxy.service'])
  const kubelet = readFileSync(join(dir, 'kplab-kubelet.service'), 'utf8')
  t.match(kubelet, /^ExecStart=\/usr\/bin\/node \/opt\/kplab\/bin\/kplab\.js kubelet .*--node-ip 192\.168\.56\.11 .*--pod-cidr 10\.244\.1\.0\/24/m)

  const dry = memoryIo()
  runLabUnits(flags('node1', { out: '/etc/systemd/system', dryRun: true }), dry)
  const headers = dry.stdout().split('\n').filter((l) => l.startsWith('# /'))
  t.same(headers, ['# /etc/systemd/system/kplab-kubelet.service', '# /etc/systemd/system/kplab-proxy.service', '# /etc/systemd/system/kplab-proxy-userspace.service'])
  t.ok(dry.stdout().includes(kubelet), 'the printed unit is the written one')
})

t.test('units carry the kplab command and log level given', async (t) => {
  const [api] = labUnits(flags('master', { kplab: '/usr/local/bin/kplab', logLevel: 'debug' }))
  t.match(api!.text, /^ExecStart=\/usr\/local\/bin\/kplab apiserver /m)
  t.match(api!.text, /^Environment=KPLAB_LOG_LEVEL=debug$/m)
  t.throws(() => labUnits(flags('master', { kplab: '  ' })), /--kplab: give the command/)
})

t.test('an unknown machine or mode is refused with the flag and the choices', async (t) => {
  t.throws(() => labUnits(flags('node9')), new UsageError('--machine: no machine "node9" in ' + settings + ' (nodes: 3); use one of master, node1, node2, node3'))
  t.throws(() => labUnits(flags('node1', { proxyMode: 'ipvs' })), /--proxy-mode: "ipvs" is not a proxy mode; use iptables or userspace/)
})

t.test('routes: every other node\'s pod CIDR via its address', async (t) => {
  const s = loadLabSettings(settings)
  t.same(labRoutes(s, 'node2'), [
    { cidr: '10.244.1.0/24', via: '192.168.56.11' },
    { cidr: '10.244.3.0/24', via: '192.168.56.13' },
  ])
  t.same(labRoutes(s, 'master').map((r) => r.via), ['192.168.56.11', '192.168.56.12', '192.168.56.13'])
})

t.test('info: facts one per line in the order asked', async (t) => {
  const f = flags('master')
  t.equal(labInfo(f, 'address,role,pod-cidr,api-server'), '192.168.56.10\nmaster\n\nhttps://192.168.56.10:6443')
  t.equal(labInfo(f, 'kubeconfig,admin-kubeconfig'), '/var/lib/kplab/kubeconfig\n/var/lib/kplab/apiserver/admin.kubeconfig')
  t.equal(labInfo(flags('node3'), 'address,role,pod-cidr,admin-kubeconfig'), '192.168.56.13\nnode\n10.244.3.0/24\n')
  t.equal(labInfo(flags('node1', { kubeconfig: '/etc/kplab.conf' }), 'kubeconfig'), '/etc/kplab.conf')
  t.throws(() => labInfo(f, 'address,colour'), /--field: "colour" is not a field; use one of address, role/)
})
