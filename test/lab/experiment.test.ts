// A live experiment end to end on a local cluster: deploy, rounds with algorithm switches and a pod
// deleted mid-round, measured beside predicted, the report directory, and the workload removed.
import t from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { resourceByName } from '../../src/api/registry.js'
import { realClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { loadKubeconfig } from '../../src/client/kubeconfig.js'
import { RestClient } from '../../src/client/rest-client.js'
import { validateExperiment } from '../../src/lab/experiment-spec.js'
import { assignBackends, roundPatch, runExperiment } from '../../src/lab/experiment.js'
import { hasCommand, requireCapability } from '../support/env.js'
import { startTestLab } from '../support/local-lab.js'

// Whole clusters of processes start in these tests: on a loaded 2-core machine that takes minutes.
t.setTimeout(480_000)

t.test('round patches: the label moves a Service to the userspace proxy in the netns lab only', async (t) => {
  const us = { label: 'p2c', proxy: 'userspace' as const, algorithm: 'power-of-two-choices' }
  const ipt = { label: 'iptables', proxy: 'iptables' as const }
  t.same(roundPatch(us, 'netns').metadata, { labels: { 'service.kubernetes.io/service-proxy-name': 'kplab-userspace' }, annotations: { 'kplab.io/lb-algorithm': 'power-of-two-choices' } })
  t.same(roundPatch(ipt, 'netns').metadata, { labels: { 'service.kubernetes.io/service-proxy-name': null }, annotations: { 'kplab.io/lb-algorithm': null } })
  t.same(roundPatch(ipt, 'local').metadata.annotations, { 'kplab.io/lb-algorithm': 'random' }, 'local lab: random stands in for iptables')
})

t.test('pods are named as backends in creation order per group, continuing earlier names', async (t) => {
  const pod = (name: string, group: string, ts: string) => ({ metadata: { name, creationTimestamp: ts, labels: { 'kplab.io/group': group } } })
  const first = assignBackends([pod('b', 'web', '2026-01-01T00:00:02Z'), pod('a', 'web', '2026-01-01T00:00:01Z'), pod('s', 'slow', '2026-01-01T00:00:01Z')])
  t.same(first, { a: 'web-0', b: 'web-1', s: 'slow-0' })
  t.same(assignBackends([pod('a', 'web', '1'), pod('c', 'web', '3')], first), { ...first, c: 'web-2' })
})

t.test('an experiment on a local cluster: measured beside predicted, report written, workload removed', async (t) => {
  if (!requireCapability(t, hasCommand('openssl'), 'openssl not on PATH (needed for the serving certificate)')) return
  const dir = t.testdir({})
  const kubeletCalls: string[] = []
  // The local cluster's kubelets are not frozen here; the lab's SIGSTOP/SIGCONT is LabHandle's job.
  const lab = { ...(await startTestLab(t, dir, 252)), stopKubelet: async (n: string) => void kubeletCalls.push(`stop ${n}`), resumeKubelet: async (n: string) => void kubeletCalls.push(`resume ${n}`) }
  const experiment = validateExperiment(
    {
      deploy: { groups: [{ name: 'fast', replicas: 2 }, { name: 'slow', replicas: 1, delayMs: 20 }] },
      load: { concurrency: 3, requests: 60 },
      rounds: [{ proxy: 'iptables' }, { algorithm: 'round-robin' }],
      events: [
        { atMs: 100, type: 'delete-pod', group: 'fast' },
        { atMs: 120, type: 'stop-kubelet', node: 'node2' },
      ],
    },
    { name: 'exp-test' },
  )
  const progress: string[] = []
  const r = await runExperiment({ lab, experiment, clock: realClock, rng: seededRng(1), seed: 1, out: join(dir, 'report'), onProgress: (l) => progress.push(l) })
  t.same(r.measured.algorithms.map((a) => a.label), ['iptables', 'round-robin'])
  t.same(r.predicted.algorithms.map((a) => a.label), ['iptables', 'round-robin'])
  for (const m of r.rounds) t.equal(m.result.issued, 60, `${m.round.label}: every request issued`)
  for (const b of ['fast-0', 'fast-1', 'slow-0']) t.ok(r.measured.backends.includes(b), `backend ${b} measured`)
  const slowShare = r.measured.algorithms.map((a) => a.metrics.share['slow-0']!)
  t.ok(slowShare.every((s) => s > 0), 'the slow pod answered in every round')
  t.match(r.notes.join('\n'), /the local lab has no iptables proxy/)
  t.ok(progress.some((l) => /at 100 ms: delete pod fast-0/.test(l)), 'the event fired')
  t.same(kubeletCalls, ['stop node2', 'resume node2', 'stop node2', 'resume node2'], "each round stops node2's kubelet and lets it go on after the round")
  for (const f of ['report.json', 'report.md', 'index.html', 'share.svg']) t.ok(existsSync(join(dir, 'report', f)), f)
  const client = new RestClient(loadKubeconfig({ explicitPath: lab.kubeconfig }), { userAgent: 'test' })
  t.teardown(() => client.close())
  t.same((await client.list(resourceByName('pods')!, { namespace: 'default', labelSelector: 'app=exp-test' })).items, [], 'no pod left')
  t.same((await client.list(resourceByName('deployments')!, { namespace: 'default' })).items.map((d) => d.metadata.name), [], 'no Deployment left')
})
