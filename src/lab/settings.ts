// lab/settings.yaml parsed and checked: the one addressing scheme (DESIGN.md §4) shared by the netns
// lab, the local lab and the Vagrant VMs. Every error names the field and the expected form.
import { readFileSync } from 'node:fs'
import { isIPv4 } from 'node:net'
import { parse } from 'yaml'
import { UsageError } from '../base/errors.js'

/** The lab's settings: addresses, CIDRs, node count and the Vagrant VM shape. */
export interface LabSettings {
  nodeNetwork: string
  masterAddress: string
  firstWorkerAddress: string
  podCIDR: string
  serviceClusterIPRange: string
  kubernetesServiceIP: string
  serviceNodePortRange: string
  clusterDNS: string
  nodes: number
  apiServerPort: number
  vagrant?: { box: string; provider: string; cpus: number; memory: number }
}

/** The machines of a lab: master + node1..nodeN, with address and (for nodes) pod CIDR. */
export interface LabMachine {
  name: string
  role: 'master' | 'node'
  address: string
  podCIDR?: string
}

/** Reads and checks a settings file. */
export function loadLabSettings(file: string): LabSettings {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new UsageError(`cannot read lab settings ${file}: ${(e as Error).message}; pass --settings FILE or restore lab/settings.yaml`)
  }
  return parseLabSettings(text, file)
}

/** Parses settings YAML (`cluster:` block, `nodes`, `apiServerPort`, optional `vagrant:`); `source` names the file in errors. */
export function parseLabSettings(text: string, source: string): LabSettings {
  let doc: unknown
  try {
    doc = parse(text)
  } catch (e) {
    throw new UsageError(`${source}: not valid YAML: ${(e as Error).message}`)
  }
  if (!isRecord(doc)) throw new UsageError(`${source}: expected a mapping with "cluster:" and "nodes:"`)
  const cluster = doc.cluster
  if (!isRecord(cluster)) throw new UsageError(`${source}: cluster: expected a mapping of addresses (nodeNetwork, masterAddress, …)`)
  const str = (key: string, check: (v: string) => boolean, form: string): string => {
    const v = cluster[key]
    if (typeof v !== 'string' || !check(v)) throw new UsageError(`${source}: cluster.${key}: ${JSON.stringify(v)} is not ${form}`)
    return v
  }
  const cidr = (v: string): boolean => cidrParts(v) !== undefined
  const int = (obj: Record<string, unknown>, path: string, key: string, min: number, max: number, dflt?: number): number => {
    const v = obj[key] ?? dflt
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new UsageError(`${source}: ${path}${key}: ${JSON.stringify(v)} must be an integer from ${min} to ${max}`)
    }
    return v
  }
  const s: LabSettings = {
    nodeNetwork: str('nodeNetwork', cidr, 'an IPv4 CIDR such as 192.168.56.0/24'),
    masterAddress: str('masterAddress', isIPv4, 'an IPv4 address such as 192.168.56.10'),
    firstWorkerAddress: str('firstWorkerAddress', isIPv4, 'an IPv4 address such as 192.168.56.11'),
    podCIDR: str('podCIDR', (v) => cidr(v) && cidrParts(v)!.bits <= 16, 'an IPv4 CIDR of /16 or larger such as 10.244.0.0/16 (node i gets the /24 10.244.i.0/24)'),
    serviceClusterIPRange: str('serviceClusterIPRange', cidr, 'an IPv4 CIDR such as 10.96.0.0/12'),
    kubernetesServiceIP: str('kubernetesServiceIP', isIPv4, 'an IPv4 address such as 10.96.0.1'),
    serviceNodePortRange: str('serviceNodePortRange', (v) => /^\d+-\d+$/.test(v), 'a port range such as 30000-32767'),
    clusterDNS: str('clusterDNS', isIPv4, 'an IPv4 address such as 10.96.0.10'),
    nodes: int(doc, '', 'nodes', 1, 50),
    apiServerPort: int(doc, '', 'apiServerPort', 1, 65535, 6443),
  }
  for (const key of ['masterAddress', 'firstWorkerAddress'] as const) {
    if (!inCidr(s[key], s.nodeNetwork)) throw new UsageError(`${source}: cluster.${key}: ${s[key]} is outside nodeNetwork ${s.nodeNetwork}; pick an address inside it`)
  }
  if (!inCidr(s.kubernetesServiceIP, s.serviceClusterIPRange)) {
    throw new UsageError(`${source}: cluster.kubernetesServiceIP: ${s.kubernetesServiceIP} is outside serviceClusterIPRange ${s.serviceClusterIPRange}`)
  }
  if (doc.vagrant !== undefined) {
    const v = doc.vagrant
    if (!isRecord(v)) throw new UsageError(`${source}: vagrant: expected a mapping (box, provider, cpus, memory)`)
    const text = (key: string): string => {
      if (typeof v[key] !== 'string' || v[key] === '') throw new UsageError(`${source}: vagrant.${key}: expected a non-empty string`)
      return v[key] as string
    }
    const provider = text('provider')
    if (provider !== 'libvirt' && provider !== 'virtualbox') throw new UsageError(`${source}: vagrant.provider: "${provider}" is not supported; use libvirt or virtualbox`)
    s.vagrant = { box: text('box'), provider, cpus: int(v, 'vagrant.', 'cpus', 1, 64), memory: int(v, 'vagrant.', 'memory', 256, 1_048_576) }
  }
  return s
}

/** master + node1..nodeN (nodes defaults to the settings' count): worker i has firstWorkerAddress + i - 1 and pod CIDR X.Y.i.0/24. */
export function labMachines(s: LabSettings, nodes?: number): LabMachine[] {
  const n = nodes ?? s.nodes
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new UsageError(`--nodes: ${n} must be an integer from 1 to 50`)
  const first = ipToInt(s.firstWorkerAddress)
  const pod = s.podCIDR.split('/')[0]!.split('.')
  const machines: LabMachine[] = [{ name: 'master', role: 'master', address: s.masterAddress }]
  for (let i = 1; i <= n; i++) {
    const address = intToIp(first + i - 1)
    if (!inCidr(address, s.nodeNetwork)) throw new UsageError(`node${i} would get ${address}, outside nodeNetwork ${s.nodeNetwork}: use fewer nodes or a larger network`)
    machines.push({ name: `node${i}`, role: 'node', address, podCIDR: `${pod[0]}.${pod[1]}.${i}.0/24` })
  }
  return machines
}

/** The prefix length of a CIDR ("192.168.56.0/24" → 24). */
export function prefixBits(cidr: string): number {
  const p = cidrParts(cidr)
  if (!p) throw new TypeError(`invalid CIDR ${JSON.stringify(cidr)}`)
  return p.bits
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function cidrParts(v: string): { ip: string; bits: number } | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(v)
  if (!m || !isIPv4(m[1]!) || Number(m[2]) > 32) return undefined
  return { ip: m[1]!, bits: Number(m[2]) }
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0)
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')
}

function inCidr(ip: string, cidr: string): boolean {
  const p = cidrParts(cidr)!
  const size = 2 ** (32 - p.bits)
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(p.ip) / size)
}
