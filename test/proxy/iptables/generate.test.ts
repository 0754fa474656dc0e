import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EndpointSlice, Service } from '../../../src/api/types.js'
import { generateRules, type ProxyState } from '../../../src/proxy/iptables/generate.js'
import { normaliseRuleset } from '../../../src/proxy/iptables/normalise.js'
import { parseRuleset } from '../../../src/proxy/iptables/parse.js'
import { chainsAfterRestore, changedServices } from '../../../src/proxy/iptables/plan.js'
import { renderRuleset } from '../../../src/proxy/iptables/render.js'
import { checkConsistency } from '../../../src/proxy/iptables/consistency.js'
import { GOLDEN_DIR, goldenNames, loadGolden } from './golden-input.js'
import { toOptions, toService, toSlice, type ScenarioSlice } from './scenario-input.js'

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'iptables', 'upstream')

function load(n: number): { json: any; text: string } {
  return {
    json: JSON.parse(readFileSync(resolve(fixtures, `kp-scenario-${n}.json`), 'utf8')),
    text: readFileSync(resolve(fixtures, `kp-scenario-${n}.txt`), 'utf8'),
  }
}

/** Both sides through upstream's normaliser, compared as text. */
function normalised(text: string): string {
  return renderRuleset(normaliseRuleset(parseRuleset(text)))
}

for (const n of [1, 3, 4]) {
  t.test(`upstream scenario ${n} matches after normalisation`, async (t) => {
    const { json, text } = load(n)
    const state = { services: json.services.map(toService), endpointSlices: json.endpointSlices.map((s: ScenarioSlice) => toSlice(s)) }
    const r = generateRules(state, toOptions(json.proxier))
    t.equal(renderRuleset(normaliseRuleset(r.ruleset)), normalised(text))
    t.same(checkConsistency(r.ruleset), [], 'full payload is consistent')
  })
}

t.test('upstream scenario 2: full and partial syncs, step by step', async (t) => {
  const { json, text } = load(2)
  const expected = new Map<number, string>()
  let step = 0
  let buf = ''
  for (const line of text.split('\n')) {
    const m = /^# step (\d+):/.exec(line)
    if (m) {
      if (step > 0 && buf.trim() !== '') expected.set(step, buf)
      step = Number(m[1])
      buf = ''
    } else if (!line.startsWith('#')) buf += `${line}\n`
  }
  expected.set(step, buf)
  const opts = toOptions(json.proxier)
  const svc = (ns: string, name: string, ip: string, portName: string, port: number): Service =>
    toService({ namespace: ns, name, type: 'ClusterIP', clusterIP: ip, ports: [{ name: portName, port, protocol: 'TCP' }] })
  const slice = (ns: string, name: string, portName: string, port: number, ips: string[]): EndpointSlice =>
    toSlice({ namespace: ns, service: name, addressType: 'IPv4', ports: [{ name: portName, port, protocol: 'TCP' }], endpoints: ips.map((ip) => ({ addresses: [ip] })) })

  let services: Service[] = json.initial.services.map(toService)
  let slices: EndpointSlice[] = json.initial.endpointSlices.map((s: ScenarioSlice) => toSlice(s))
  let kernel = new Set<string>()
  let applied: ProxyState = { services: [], endpointSlices: [] }

  const sync = (full: boolean): ReturnType<typeof generateRules> => {
    const state = { services, endpointSlices: slices }
    const r = generateRules(state, opts, { full, changedServices: changedServices(applied, state, 'test-node'), existingNatChains: kernel })
    return r
  }
  const commit = (r: ReturnType<typeof generateRules>): void => {
    kernel = chainsAfterRestore(kernel, r.ruleset)
    applied = { services, endpointSlices: slices }
  }
  const check = (n: number, r: ReturnType<typeof generateRules>): void => {
    t.equal(renderRuleset(normaliseRuleset(r.ruleset)), normalised(expected.get(n)!), `step ${n}`)
  }

  let r = sync(true)
  check(1, r)
  t.equal(r.counts.natRules, 15, 'step 1: 15 nat rules')
  commit(r)

  services = [...services, svc('ns3', 'svc3', '172.30.0.43', 'p80', 80)]
  slices = [...slices, slice('ns3', 'svc3', 'p80', 80, ['10.0.3.1'])]
  r = sync(false)
  check(2, r)
  t.equal(r.counts.natRules, 20, 'step 2: metric counts skipped services too')
  commit(r)

  services = services.filter((s) => s.metadata.name !== 'svc2')
  r = sync(false)
  check(3, r)
  t.same(r.staleChains, ['KUBE-SEP-UHEGFW77JX3KXTOV', 'KUBE-SVC-2VJB64SDSIJUP5T6'])
  commit(r)

  services = [...services, svc('ns4', 'svc4', '172.30.0.44', 'p80', 80)]
  r = sync(false)
  check(4, r)
  commit(r)

  slices = [...slices, slice('ns4', 'svc4', 'p80', 80, ['10.0.4.1'])]
  r = sync(false)
  check(5, r)
  commit(r)

  slices = slices.map((s) => (s.metadata.name === 'svc3-abc' ? slice('ns3', 'svc3', 'p80', 80, ['10.0.3.2']) : s))
  r = sync(false)
  check(6, r)
  commit(r)

  slices = slices.map((s) => (s.metadata.name === 'svc3-abc' ? slice('ns3', 'svc3', 'p80', 80, ['10.0.3.2', '10.0.3.3']) : s))
  r = sync(false)
  check(7, r)
  t.equal(r.counts.natRules, 23, 'step 7: 15 + 5 + 0 + 0 + 5 - 5 + 3')
  commit(r)

  r = sync(false)
  check(8, r)
  commit(r)

  // Step 9: svc4 is deleted; the partial restore fails (the test injected a reference), so nothing is committed.
  services = services.filter((s) => s.metadata.name !== 'svc4')
  r = sync(false)
  t.same(r.staleChains, ['KUBE-SEP-AYCN5HPXMIRJNJXU', 'KUBE-SVC-4SW47YFZTEDKD3PK'], 'step 9 would delete svc4 chains')

  r = sync(true)
  check(10, r)
  t.same(checkConsistency(r.ruleset), [])
  commit(r)
})

t.test('rule counts match upstream number_generated_rules_test (ClusterIP)', async (t) => {
  // services × endpoints → [filter, nat] from upstream's table (reference §6).
  const table: [number, number, number, number][] = [
    [0, 0, 3, 5],
    [1, 0, 4, 5],
    [1, 1, 3, 10],
    [1, 2, 3, 13],
    [1, 10, 3, 37],
    [10, 0, 13, 5],
    [10, 1, 3, 55],
    [10, 2, 3, 85],
    [10, 10, 3, 325],
  ]
  for (const [nSvc, nEp, filter, nat] of table) {
    const services: Service[] = []
    const slices: EndpointSlice[] = []
    let ep = 1
    for (let i = 0; i < nSvc; i++) {
      services.push(toService({ namespace: 'ns', name: `svc${i}`, type: 'ClusterIP', clusterIP: `10.0.0.${i + 1}`, ports: [{ name: '8080', port: 80 + i, protocol: 'TCP' }] }))
      const ips: string[] = []
      for (let j = 0; j < nEp; j++, ep++) ips.push(`172.16.${Math.floor(ep / 256)}.${ep % 256}`)
      if (nEp > 0) slices.push(toSlice({ namespace: 'ns', service: `svc${i}`, addressType: 'IPv4', ports: [{ name: '8080', port: 8080, protocol: 'TCP' }], endpoints: ips.map((a) => ({ addresses: [a] })) }))
    }
    // The counting test's proxier: cluster-CIDR detector, no KUBE-FIREWALL (localhost nodeports off), no nfacct.
    const r = generateRules({ services, endpointSlices: slices }, { hostname: 'node', localDetector: { mode: 'ClusterCIDR', cidr: '10.0.0.0/8' }, localhostNodePorts: false })
    t.same([r.counts.filterRules, r.counts.natRules], [filter, nat], `${nSvc} × ${nEp}`)
  }
})

t.test('rule counts for LoadBalancer services match the reference model of current upstream (§6)', async (t) => {
  // services × endpoints → [filter, nat]; the model's nat numbers (one more than the old upstream
  // table per service with endpoints: the trimmed " 1.2.3.4/28" range now gets its FW rule).
  const table: [number, number, number, number][] = [
    [0, 0, 3, 5],
    [1, 0, 7, 5],
    [1, 1, 4, 17],
    [1, 2, 4, 20],
    [1, 10, 4, 44],
    [10, 0, 43, 5],
    [10, 1, 13, 125],
    [10, 2, 13, 155],
    [10, 10, 13, 395],
  ]
  for (const [nSvc, nEp, filter, nat] of table) {
    const services: Service[] = []
    const slices: EndpointSlice[] = []
    let ep = 1
    for (let i = 0; i < nSvc; i++) {
      services.push(
        toService({
          namespace: 'ns',
          name: `svc${i}`,
          type: 'LoadBalancer',
          clusterIP: `10.0.0.${i + 1}`,
          externalIPs: ['1.2.3.4'],
          loadBalancerIngress: ['1.2.3.4'],
          loadBalancerSourceRanges: [' 1.2.3.4/28'],
          healthCheckNodePort: 32000 + i,
          ports: [{ name: '8080', port: 80 + i, protocol: 'TCP', nodePort: 30000 + i }],
        }),
      )
      const ips: string[] = []
      for (let j = 0; j < nEp; j++, ep++) ips.push(`172.16.${Math.floor(ep / 256)}.${ep % 256}`)
      if (nEp > 0) slices.push(toSlice({ namespace: 'ns', service: `svc${i}`, addressType: 'IPv4', ports: [{ name: '8080', port: 8080, protocol: 'TCP' }], endpoints: ips.map((a) => ({ addresses: [a] })) }))
    }
    const r = generateRules({ services, endpointSlices: slices }, { hostname: 'node', nodeIPs: ['192.168.0.2'], localDetector: { mode: 'ClusterCIDR', cidr: '10.0.0.0/8' }, localhostNodePorts: false })
    t.same([r.counts.filterRules, r.counts.natRules], [filter, nat], `${nSvc} × ${nEp}`)
    t.same(checkConsistency(r.ruleset), [], `${nSvc} × ${nEp} consistent`)
  }
})

t.test('mark, random-fully and nfacct are options of the generator', async (t) => {
  const r = generateRules({ services: [], endpointSlices: [] }, { masqueradeBit: 14 })
  const text = renderRuleset(r.ruleset)
  t.match(text, '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n')
  t.match(text, '-j MASQUERADE --random-fully\n')
  t.match(text, '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n')
  const r2 = generateRules({ services: [], endpointSlices: [] }, { masqueradeBit: 15, randomFully: false, conntrackTCPLiberal: true })
  const text2 = renderRuleset(r2.ruleset)
  t.match(text2, '--or-mark 0x00008000')
  t.notMatch(text2, 'random-fully')
  t.notMatch(text2, 'INVALID')
})

t.test('large-cluster mode drops comments only on SVC→SEP and SEP rules', async (t) => {
  const ips = Array.from({ length: 1001 }, (_, i) => `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`)
  const services = [toService({ namespace: 'ns', name: 'big', type: 'ClusterIP', clusterIP: '10.96.0.50', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })]
  const slices = [toSlice({ namespace: 'ns', service: 'big', addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: ips.map((a) => ({ addresses: [a] })) })]
  const r = generateRules({ services, endpointSlices: slices }, { localDetector: { mode: 'ClusterCIDR', cidr: '10.0.0.0/8' } })
  t.equal(r.largeClusterMode, true)
  const nat = r.ruleset.tables[1]!
  const sepRules = nat.rules.filter((x) => x.chain.startsWith('KUBE-SEP-'))
  t.equal(sepRules.length, 2002)
  t.notOk(sepRules.some((x) => x.args.includes('--comment')), 'no comments on SEP rules')
  const svcRules = nat.rules.filter((x) => x.chain.startsWith('KUBE-SVC-'))
  t.equal(svcRules.filter((x) => x.args.includes('--comment')).length, 1, 'only the cluster IP masquerade rule keeps its comment')
  const r2 = generateRules({ services, endpointSlices: [{ ...slices[0]!, endpoints: slices[0]!.endpoints.slice(0, 1000) }] }, {})
  t.equal(r2.largeClusterMode, false, '1000 endpoints is not large')
})

t.test('golden files: every input in test/fixtures/iptables renders exactly its .rules file', async (t) => {
  const names = goldenNames()
  t.ok(names.length >= 10, `at least ten goldens (${names.length})`)
  for (const name of names) {
    const g = loadGolden(name)
    const r = generateRules(g.state, g.options)
    const text = renderRuleset(r.ruleset)
    if (process.env.KPLAB_UPDATE_GOLDENS === '1') writeFileSync(resolve(GOLDEN_DIR, `${name}.rules`), text)
    t.equal(text, g.expected ?? '(missing .rules file)', `${name}.rules`)
    t.same(checkConsistency(parseRuleset(g.expected ?? '')), [], `${name}.rules is consistent`)
  }
})

t.test('a partial sync counts the same rules and chains as a full sync of the same state', async (t) => {
  for (const name of goldenNames()) {
    const g = loadGolden(name)
    const full = generateRules(g.state, g.options)
    const partial = generateRules(g.state, g.options, { full: false, changedServices: new Set(), existingNatChains: [] })
    t.same(partial.counts, full.counts, name)
    t.same([...partial.activeNatChains].sort(), [...full.activeNatChains].sort(), `${name}: same active chains`)
  }
})

t.test('IPv6 proxier: bracketed endpoints, no KUBE-FIREWALL, ::1 excluded from NodePorts', async (t) => {
  const services: Service[] = [toService({ namespace: 'ns1', name: 'svc1', type: 'NodePort', clusterIP: 'fd00:10:96::1', ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30080 }] })]
  services[0]!.spec.clusterIPs = ['10.96.0.1', 'fd00:10:96::1']
  const slices = [toSlice({ namespace: 'ns1', service: 'svc1', addressType: 'IPv6', ports: [{ name: 'p80', port: 80, protocol: 'TCP' }], endpoints: [{ addresses: ['ff06:0:0:0:0:0:0:c1'] }] })]
  const r = generateRules({ services, endpointSlices: slices }, { ipFamily: 'IPv6', hostname: 'n', nodeIPs: ['fd00::2'], localDetector: { mode: 'ClusterCIDR', cidr: 'fd00:10:244::/48' } })
  t.match(r.payload, ':KUBE-SEP-LIGRYQQLSZN4UWQ5 - [0:0]', 'hash of "ns1/svc1:p80tcp[ff06::c1]:80" (reference §2)')
  t.match(r.payload, '-j DNAT --to-destination [ff06::c1]:80')
  t.match(r.payload, '-d fd00:10:96::1 --dport 80')
  t.match(r.payload, '-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS')
  t.notMatch(r.payload, 'KUBE-FIREWALL ')
  t.same(checkConsistency(r.ruleset), [])
})
