// The demo end to end: in local mode on a cluster of real processes (API server, controller manager,
// scheduler, two kubelets, a userspace proxy), and in netns mode with upLab as root; rules, traffic
// through every Service, the comparison table, the report, and nothing left behind.
import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { realClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { runDemo } from '../../src/lab/demo.js'
import { upLab } from '../../src/lab/lab.js'
import { hasCommand, isRoot, requireCapability } from '../support/env.js'
import { SOURCE_LAUNCHER, startTestLab } from '../support/local-lab.js'

// Whole clusters of processes start in these tests: on a loaded 2-core machine that takes minutes.
t.setTimeout(480_000)

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const manifest = join(root, 'lab', 'manifests', 'demo.yaml')


t.test('kplab demo in local mode: rules, traffic through every Service, one table beside the prediction, report, lab down', async (t) => {
  if (!requireCapability(t, hasCommand('openssl'), 'openssl not on PATH (needed for the serving certificate)')) return
  const dir = t.testdir({})
  let out = ''
  let downs = 0
  const lab = await runDemo({
    up: async (say) => {
      say('local test cluster')
      const l = await startTestLab(t, dir, 251)
      return { ...l, modeReason: 'local mode (test)', down: async () => void downs++ }
    },
    manifest,
    launcher: SOURCE_LAUNCHER,
    clock: realClock,
    rng: seededRng(1),
    out: { write: (s: string) => (out += s) },
    requests: 60,
    reportDir: join(dir, 'report'),
  })
  t.equal(lab, undefined, 'the demo took its lab down')
  t.equal(downs, 1, 'down called once')
  t.match(out, /3 ready endpoints after \d+ ms/)
  t.match(out, /-m statistic --mode random --probability 0\.3333333333 -j KUBE-SEP-/)
  t.match(out, /each with probability exactly 1\/3/)
  for (const target of ['ClusterIP echo', 'NodePort echo-nodeport', 'round-robin', 'least-connection', 'power-of-two-choices', 'least-time', 'ip-hash']) {
    t.match(out, new RegExp(`^ {3}${target}\\s.*\\b60 ok, 0 errors$`, 'm'), `${target}: 60 answers`)
  }
  // round-robin per request over three pods: exactly a third each.
  t.match(out, /^ {3}round-robin\s+measured\s+33\.3%\s+33\.3%\s+33\.3%/m)
  t.match(out, /^\s+predicted\s+/m, 'predicted rows beside the measured ones')
  t.match(out, /^ {3}ip-hash\s+measured\s+.*100\.0%/m, 'ip-hash: one client address, one pod')
  for (const f of ['index.html', 'report.md', 'report.json']) t.ok(existsSync(join(dir, 'report', f)), f)
  t.match(readFileSync(join(dir, 'report', 'index.html'), 'utf8'), /<svg/)
  t.match(out, /Deleting the workload and taking the lab down/)
})

t.test('kplab demo in netns mode (root): upLab, live iptables rules, traffic from the client namespace, lab down', async (t) => {
  if (!requireCapability(t, isRoot() && hasCommand('ip') && hasCommand('iptables') && hasCommand('openssl'), 'needs root with ip, iptables and openssl (netns lab)')) return
  // A short state root: the lab's unix sockets live under it, and socket paths are limited to 107 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'kpd-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  let out = ''
  const lab = await runDemo({
    up: (onProgress) => upLab({ name: 'demotest', mode: 'netns', nodes: 2, stateRoot: join(dir, 'labs'), launcher: SOURCE_LAUNCHER, clock: realClock, onProgress }),
    manifest,
    launcher: SOURCE_LAUNCHER,
    clock: realClock,
    rng: seededRng(1),
    out: { write: (s: string) => (out += s) },
    requests: 60,
    reportDir: join(dir, 'report'),
  })
  t.equal(lab, undefined)
  t.match(out, /netns mode/)
  t.match(out, /live rules on node1 \(iptables-save -t nat\)/)
  t.match(out, /-A KUBE-SVC-\S+ .*-j KUBE-SEP-/)
  t.match(out, /ClusterIP echo \(iptables\)\s.*\b60 ok/)
  t.notOk(existsSync(join(dir, 'labs', 'demotest')), 'the lab state directory is gone')
})

