import t from 'tap'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FakeClock } from '../../../src/base/clock.js'
import { looksLikeIptables, runTrace, type TraceFlags } from '../../../src/cli/commands/trace.js'
import type { CliIo } from '../../../src/cli/kube-flags.js'
import { runCli } from '../../support/run-cli.js'

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'iptables')
const lab: TraceFlags = { hostnameOverride: 'node-1', nodeIp: '192.168.56.11', clusterCidr: '10.244.0.0/16', masqueradeBit: '14', iptablesLocalhostNodeports: 'true', proto: 'tcp' }

async function run(flags: TraceFlags, env: Record<string, string> = {}): Promise<string> {
  let out = ''
  const io: CliIo = { out: { write: (s: string) => (out += s) }, err: { write: () => true }, env, clock: new FakeClock(0) }
  await runTrace(flags, io)
  return out
}

t.test('traces a packet through rules generated from manifests', async (t) => {
  const out = await run({ ...lab, filename: [join(fixtures, 'etp-local.yaml')], src: '203.0.113.9', dst: '198.51.100.40', dport: '80' })
  t.match(out, 'path 1 of 1, probability 1 (100.0000%)')
  t.match(out, 'KUBE-SVL-3VBGCRIV4MDO2DCY')
  t.match(out, 'summary:\n  10.244.1.40:80: 1 (100.0000%)\n', 'eTP Local: local endpoint, source kept')
})

t.test('a packet from the node itself starts in nat OUTPUT', async (t) => {
  const out = await run({ ...lab, filename: [join(fixtures, 'nodeport-cluster.yaml')], src: '192.168.56.11', dst: '192.168.56.11', dport: '30080' })
  t.match(out, '(sent by the node: nat OUTPUT)')
  t.match(out, '10.244.1.5:8080 (masqueraded): 1/2')
})

t.test('traces an iptables-save dump', async (t) => {
  const dir = t.testdir({
    'save.txt': '*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -j KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.1/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.1.2:53\nCOMMIT\n',
  })
  t.ok(looksLikeIptables('# x\n*nat\nCOMMIT\n'))
  t.notOk(looksLikeIptables('apiVersion: v1\nkind: Service\n'))
  const out = await run({ ...lab, proto: 'udp', filename: [join(dir, 'save.txt')], src: '10.244.2.2', dst: '10.96.0.1', dport: '53' })
  t.match(out, 'DNAT to 10.244.1.2:53')
})

t.test('bad flags are one clear line and exit 1', async (t) => {
  await t.rejects(() => run({ ...lab, filename: ['x'], dst: '10.0.0.1', dport: '80' }), /--src is required/)
  await t.rejects(() => run({ ...lab, filename: ['x'], src: '1.2.3.4', dst: 'nope', dport: '80' }), /invalid value "nope" for --dst/)
  await t.rejects(() => run({ ...lab, filename: ['x'], src: '1.2.3.4', dst: '10.0.0.1', dport: '0' }), /--dport: a port number/)
  await t.rejects(() => run({ ...lab, filename: ['x'], src: '1.2.3.4', dst: '10.0.0.1', dport: '80', proto: 'icmp' }), /--proto: use tcp, udp or sctp/)
  await t.rejects(() => run({ ...lab, src: '1.2.3.4', dst: '10.0.0.1', dport: '80', node: 'node-2', name: 'nolab' }, { KPLAB_HOME: t.testdir() }), /lab "nolab" is not running: run kplab up --name nolab/)
  await t.rejects(() => run({ ...lab, filename: ['x'], src: '1.2.3.4', dst: '10.0.0.1', dport: '80', node: 'node-2' }), /pass either --node \(a running lab\) or -f/)
  const dir = t.testdir({ 'bad.rules': '*nat\n-A X -j Y\n' })
  await t.rejects(() => run({ ...lab, filename: [join(dir, 'bad.rules')], src: '1.2.3.4', dst: '10.0.0.1', dport: '80' }), /bad\.rules: line 2: table \*nat has no COMMIT/)
  const r = await runCli(['trace', '-f', join(fixtures, 'no-endpoints.yaml'), '--src', '10.244.3.3', '--dst', '10.96.70.70'])
  t.equal(r.code, 1)
  t.equal(r.stderr, 'error: --dport is required (a port number 1-65535)\n')
  const ok = await runCli(['trace', '-f', join(fixtures, 'no-endpoints.yaml'), '--src', '10.244.3.3', '--dst', '10.96.70.70', '--dport', '80'])
  t.equal(ok.code, 0)
  t.match(ok.stdout, 'REJECT (filter KUBE-SERVICES): 1 (100.0000%)')
})
