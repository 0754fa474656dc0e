// The demo's pure parts: the manifest as pod groups and targets, live rules picked out of
// iptables-save, and the one comparison table.
import t from 'tap'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { demoExperiment, demoTargets, formatDemoTable, liveServiceRules } from '../../src/lab/demo-compare.js'
import { readManifest } from '../../src/lab/experiment-cluster.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const manifest = join(root, 'lab', 'manifests', 'demo.yaml')

t.test('the demo manifest: three pods (one slow), a ClusterIP, a NodePort and five algorithm Services', async (t) => {
  const objects = readManifest(manifest)
  const exp = demoExperiment(objects, 'netns')
  t.same(exp.groups.map((g) => [g.name, g.replicas, g.delayMs]), [['echo', 2, 0], ['slow', 1, 30]])
  const targets = demoTargets('netns', objects)
  t.same(targets.map((x) => x.label), ['ClusterIP echo (iptables)', 'NodePort echo-nodeport (iptables)', 'round-robin', 'least-connection', 'power-of-two-choices', 'least-time', 'ip-hash'])
  t.equal(targets[1]!.nodePort, 30080)
  t.same(demoTargets('local', objects).slice(0, 2).map((x) => x.round.algorithm), ['round-robin', 'round-robin'], 'local: the plain Services use the userspace default')
})

t.test('live rules of one service port are picked out of iptables-save', async (t) => {
  const save = [
    '*nat',
    '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/echo:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-AAA',
    '-A KUBE-SERVICES -d 10.96.0.21/32 -p tcp -m comment --comment "default/other:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-BBB',
    '-A KUBE-SVC-AAA -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-1',
    '-A KUBE-SVC-AAA -j KUBE-SEP-2',
    '-A KUBE-SVC-BBB -j KUBE-SEP-3',
    '-A KUBE-SEP-1 -p tcp -j DNAT --to-destination 10.244.1.2:8080',
    '-A KUBE-SEP-2 -p tcp -j DNAT --to-destination 10.244.2.2:8080',
    '-A KUBE-SEP-3 -p tcp -j DNAT --to-destination 10.244.2.3:8080',
    'COMMIT',
  ].join('\n')
  const got = liveServiceRules(save, 'default/echo:http')
  t.equal(got.length, 5)
  t.notOk(got.some((l) => l.includes('BBB') || l.includes('SEP-3')), 'only the asked service')
  t.same(liveServiceRules('*nat\nCOMMIT\n', 'default/echo:http'), ['(no rule for default/echo:http yet)'])
})

t.test('the comparison table prints a measured and a predicted row per Service', async (t) => {
  const exp = demoExperiment(readManifest(manifest), 'local')
  const targets = demoTargets('local', readManifest(manifest)).slice(0, 1)
  const report = (source: 'simulated' | 'measured') => ({
    title: 'demo', source, timeUnit: 'ms', backends: ['echo-0', 'echo-1', 'slow-0'],
    algorithms: [{ name: 'round-robin', params: {}, label: targets[0]!.label, completed: 3, metrics: { maxLoad: 1, meanLoad: 1, meanResponseTime: 1, p50: 1, p99: 2, p999: 2, jain: 1, share: { 'echo-0': 0.5, 'echo-1': 0.25, 'slow-0': 0.25 }, remapped: 0, failed: 0 }, samples: { responseCdf: [], load: [] } }],
  })
  const table = formatDemoTable(targets, report('simulated'), report('measured'))
  t.match(table, /^Service\s+echo-0\s+echo-1\s+slow-0\s+p50 ms\s+p99 ms\s+errors$/m)
  t.match(table, /^ClusterIP echo\s+measured\s+50\.0%\s+25\.0%\s+25\.0%\s+1\s+2\s+0$/m)
  t.match(table, /^\s+predicted\s+50\.0%/m)
  t.equal(exp.rounds.length, 7)
})
