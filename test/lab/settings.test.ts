// lab/settings.yaml: parsing, the errors that name the field, and the machines derived from it.
import t from 'tap'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { labMachines, loadLabSettings, parseLabSettings, prefixBits } from '../../src/lab/settings.js'
import { LAB_SETTINGS_YAML } from '../support/lab-settings.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

const BASE = LAB_SETTINGS_YAML

t.test('the repository settings file parses with the documented defaults', async (t) => {
  const s = loadLabSettings(join(root, 'lab', 'settings.yaml'))
  t.same(s, {
    nodeNetwork: '192.168.56.0/24',
    masterAddress: '192.168.56.10',
    firstWorkerAddress: '192.168.56.11',
    podCIDR: '10.244.0.0/16',
    serviceClusterIPRange: '10.96.0.0/12',
    kubernetesServiceIP: '10.96.0.1',
    serviceNodePortRange: '30000-32767',
    clusterDNS: '10.96.0.10',
    nodes: 2,
    apiServerPort: 6443,
    vagrant: { box: 'debian/bookworm64', provider: 'libvirt', cpus: 2, memory: 2048 },
  })
})

t.test('apiServerPort defaults to 6443 and vagrant is optional', async (t) => {
  const s = parseLabSettings(BASE, 'x.yaml')
  t.equal(s.apiServerPort, 6443)
  t.equal(s.vagrant, undefined)
})

t.test('errors name the file, the field and the expected form', async (t) => {
  t.throws(() => parseLabSettings(BASE.replace('192.168.56.10', '192.168.57.10'), 'x.yaml'), /x\.yaml: cluster\.masterAddress: 192\.168\.57\.10 is outside nodeNetwork 192\.168\.56\.0\/24/)
  t.throws(() => parseLabSettings(BASE.replace('10.244.0.0/16', '10.244.0.0/24'), 'x.yaml'), /cluster\.podCIDR: "10\.244\.0\.0\/24" is not an IPv4 CIDR of \/16 or larger/)
  t.throws(() => parseLabSettings(BASE.replace('nodes: 2', 'nodes: two'), 'x.yaml'), /x\.yaml: nodes: "two" must be an integer from 1 to 50/)
  t.throws(() => parseLabSettings(BASE.replace('clusterDNS: 10.96.0.10', 'clusterDNS: dns'), 'x.yaml'), /cluster\.clusterDNS: "dns" is not an IPv4 address/)
  t.throws(() => parseLabSettings(`${BASE}vagrant: { box: b, provider: hyperv, cpus: 2, memory: 2048 }\n`, 'x.yaml'), /vagrant\.provider: "hyperv" is not supported; use libvirt or virtualbox/)
  t.throws(() => parseLabSettings(`${BASE}vagrant: { box: b, provider: libvirt, cpus: 0, memory: 2048 }\n`, 'x.yaml'), /vagrant\.cpus: 0 must be an integer from 1 to 64/)
  t.throws(() => parseLabSettings('nodes: [', 'x.yaml'), /x\.yaml: not valid YAML/)
  t.throws(() => parseLabSettings('nodes: 2\n', 'x.yaml'), /x\.yaml: cluster: expected a mapping/)
  t.throws(() => loadLabSettings('/nonexistent/settings.yaml'), /cannot read lab settings \/nonexistent\/settings\.yaml/)
})

t.test('labMachines: master, then node i at firstWorker + i - 1 with pod CIDR 10.244.i.0/24', async (t) => {
  const s = parseLabSettings(BASE, 'x.yaml')
  t.same(labMachines(s), [
    { name: 'master', role: 'master', address: '192.168.56.10' },
    { name: 'node1', role: 'node', address: '192.168.56.11', podCIDR: '10.244.1.0/24' },
    { name: 'node2', role: 'node', address: '192.168.56.12', podCIDR: '10.244.2.0/24' },
  ])
  t.equal(labMachines(s, 3)[3]!.address, '192.168.56.13', 'the node count can be overridden')
  t.throws(() => labMachines(s, 0), /--nodes: 0 must be an integer from 1 to 50/)
  const small = parseLabSettings(BASE.replace('192.168.56.0/24', '192.168.56.0/28'), 'x.yaml')
  t.throws(() => labMachines(small, 6), /node6 would get 192\.168\.56\.16, outside nodeNetwork 192\.168\.56\.0\/28/)
  t.equal(prefixBits('192.168.56.0/24'), 24)
})
