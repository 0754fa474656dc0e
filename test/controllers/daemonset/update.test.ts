import t from 'tap'
import type { DaemonSet, Pod } from '../../../src/api/types.js'
import { CONTROLLER_REVISION_HASH, daemonMaxUnavailable, daemonSetHash, isPodUpdated, rollingUpdateDeletions } from '../../../src/controllers/daemonset/update.js'

const NOW = Date.UTC(2026, 0, 1)
const ds = (image: string, strategy?: DaemonSet['spec']['updateStrategy'], minReadySeconds?: number): DaemonSet => ({
  metadata: { name: 'agent', namespace: 'kube-system', generation: 2 },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image }] } }, updateStrategy: strategy, minReadySeconds },
})
const pod = (name: string, hash: string, ready = true, readySince = NOW - 60_000): Pod => ({
  metadata: { name, namespace: 'kube-system', labels: { app: 'agent', [CONTROLLER_REVISION_HASH]: hash } },
  spec: { containers: [], nodeName: name },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date(readySince).toISOString() }] },
})
const nodesOf = (ps: Pod[]): string[] => ps.map((p) => p.metadata.name!)

t.test('the hash follows the template, and labels say which pods are current', async (t) => {
  const h1 = daemonSetHash(ds('v1'))
  t.equal(daemonSetHash(ds('v1')), h1, 'stable')
  t.not(daemonSetHash(ds('v2')), h1, 'a template change changes it')
  t.not(daemonSetHash({ ...ds('v1'), status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, collisionCount: 1 } }), h1, 'collisionCount escapes collisions')
  t.ok(isPodUpdated(pod('n1', h1), h1))
  t.notOk(isPodUpdated({ metadata: { name: 'x' }, spec: { containers: [] } }, h1), 'no label: old')
})

t.test('maxUnavailable defaults to 1, takes percentages rounded up, and is never 0', async (t) => {
  t.equal(daemonMaxUnavailable(ds('v1'), 10), 1)
  t.equal(daemonMaxUnavailable(ds('v1', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } }), 10), 3)
  t.equal(daemonMaxUnavailable(ds('v1', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } }), 10), 1)
})

t.test('RollingUpdate replaces at most maxUnavailable available old pods at a time', async (t) => {
  const d = ds('v2', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } })
  const h = daemonSetHash(d)
  const kept = new Map(['n1', 'n2', 'n3', 'n4'].map((n) => [n, pod(n, 'old')]))
  t.same(nodesOf(rollingUpdateDeletions(d, kept, 4, h, NOW)), ['n1', 'n2'], 'two at once, in node order')
  kept.set('n1', pod('n1', h, false))
  t.same(nodesOf(rollingUpdateDeletions(d, kept, 4, h, NOW)), ['n2'], 'a new pod not yet ready uses one slot')
  kept.delete('n2')
  t.same(nodesOf(rollingUpdateDeletions(d, kept, 4, h, NOW)), [], 'a node waiting for its new pod uses the other')
  kept.set('n3', pod('n3', 'old', false))
  t.same(nodesOf(rollingUpdateDeletions(d, kept, 4, h, NOW)), ['n3'], 'an unavailable old pod is replaced whatever the budget')
})

t.test('minReadySeconds: a new pod counts as unavailable until it has been ready that long', async (t) => {
  const d = ds('v2', undefined, 30)
  const h = daemonSetHash(d)
  const kept = new Map([
    ['n1', pod('n1', h, true, NOW - 10_000)],
    ['n2', pod('n2', 'old')],
  ])
  t.same(nodesOf(rollingUpdateDeletions(d, kept, 2, h, NOW)), [], 'ready for 10 s of 30: wait')
  t.same(nodesOf(rollingUpdateDeletions(d, kept, 2, h, NOW + 20_001)), ['n2'], 'then the next node')
})

t.test('OnDelete never deletes', async (t) => {
  const d = ds('v2', { type: 'OnDelete' })
  t.same(rollingUpdateDeletions(d, new Map([['n1', pod('n1', 'old')]]), 1, daemonSetHash(d), NOW), [])
})
