import t from 'tap'
import { readFileSync } from 'node:fs'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FakeClock } from '../../../src/base/clock.js'
import { UsageError } from '../../../src/base/errors.js'
import { readProxyState, runNodeRules, runRules, type RulesFlags } from '../../../src/cli/commands/rules.js'
import type { CliIo } from '../../../src/cli/kube-flags.js'
import { runCli } from '../../support/run-cli.js'

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'iptables')

function io(): { io: CliIo; out: () => string } {
  let out = ''
  return { io: { out: { write: (s: string) => (out += s) }, err: { write: () => true }, env: {}, clock: new FakeClock(0) }, out: () => out }
}

// The flags the golden nodeport-cluster.yaml was generated with (its "# options:" line).
const labFlags: RulesFlags = { hostnameOverride: 'node-1', nodeIp: '192.168.56.11', clusterCidr: '10.244.0.0/16', masqueradeBit: '14', iptablesLocalhostNodeports: 'true' }

t.test('prints the payload of the golden for the same input and flags', async (t) => {
  const o = io()
  runRules({ ...labFlags, filename: [join(fixtures, 'nodeport-cluster.yaml')] }, o.io)
  t.equal(o.out(), readFileSync(join(fixtures, 'nodeport-cluster.rules'), 'utf8'))
})

t.test('--explain and --sorted', async (t) => {
  const o = io()
  runRules({ ...labFlags, explain: true, filename: [join(fixtures, 'session-affinity.yaml')] }, o.io)
  t.match(o.out(), 'each with probability exactly 1/3')
  const s = io()
  runRules({ ...labFlags, sorted: true, filename: [join(fixtures, 'nodeport-cluster.yaml')] }, s.io)
  t.match(s.out(), /\*nat\n:KUBE-NODEPORTS - \[0:0\]\n:KUBE-SERVICES - \[0:0\]\n:KUBE-EXT-/)
})

t.test('reads multi-document YAML, kind: List and JSON', async (t) => {
  const dir = t.testdir({
    'list.json': JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'a', name: 's' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 80 }] } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'a', name: 'c' } },
      ],
    }),
  })
  const s = readProxyState([join(dir, 'list.json'), join(fixtures, 'etp-local.yaml')])
  t.equal(s.services.length, 3)
  t.equal(s.endpointSlices.length, 2)
})

t.test('invalid input: one line naming file, document and field', async (t) => {
  const dir = t.testdir({
    'bad.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: ok}\nspec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {namespace: ns, name: web}\nspec:\n  clusterIP: 10.96.0.2\n  ports:\n  - {port: 99999}\n',
    'broken.yaml': 'a: [1,\n',
    'noname.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {}\n',
  })
  t.throws(() => readProxyState([join(dir, 'bad.yaml')]), new UsageError(`${join(dir, 'bad.yaml')}: document 2: Service "ns/web": spec.ports[0].port: 99999 is not a port number (1-65535)`))
  t.throws(() => readProxyState([join(dir, 'broken.yaml')]), /broken\.yaml: document 1: invalid YAML/)
  t.throws(() => readProxyState([join(dir, 'noname.yaml')]), /noname\.yaml: document 1: Service: metadata\.name: required/)
  t.throws(() => readProxyState([join(dir, 'missing.yaml')]), /missing\.yaml: cannot read the file/)
  t.throws(() => runRules({ ...labFlags }, io().io), /no input: pass -f FILE/)
  await t.rejects(() => runNodeRules({ ...labFlags, node: 'node-2', filename: ['x'] }, io().io), /pass either --node \(a running lab\) or -f/)
  const none = io().io
  await t.rejects(() => runNodeRules({ ...labFlags, node: 'node-2', name: 'nolab' }, { ...none, env: { KPLAB_HOME: join(dir, 'no-labs-here') } }), /lab "nolab" is not running: run kplab up --name nolab/)

  const r = await runCli(['rules', '-f', join(dir, 'bad.yaml')])
  t.equal(r.code, 1, 'exit code 1')
  t.equal(r.stderr, `error: ${join(dir, 'bad.yaml')}: document 2: Service "ns/web": spec.ports[0].port: 99999 is not a port number (1-65535)\n`)
  t.equal(r.stdout, '')
})

t.test('the binary prints the payload for the defaults (lab addressing)', async (t) => {
  const r = await runCli(['rules', '-f', join(fixtures, 'nodeport-cluster.yaml')])
  t.equal(r.code, 0)
  t.equal(r.stdout, readFileSync(join(fixtures, 'nodeport-cluster.rules'), 'utf8'), 'defaults are node-1, 192.168.56.11, 10.244.0.0/16')
})
