import t from 'tap'
import type { DaemonSet, Pod } from '../../../src/api/types.js'
import { res, startCluster, waitFor } from '../cluster.js'

t.test('a DaemonSet runs one pod on every eligible node, including one that joins later', async (t) => {
  const c = await startCluster(t, { nodes: 2, controllers: ['daemonset'] })
  // A tainted node the daemon does not tolerate, and one that it does not select.
  await c.addNode(3, { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })
  const pods = await c.watch<Pod>('pods', 'kube-system')
  const dss = await c.watch<DaemonSet>('daemonsets', 'kube-system')
  await c.client.create(res('daemonsets'), {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'a', image: 'kplab/echo' }] } } },
  } as DaemonSet)
  const nodesOf = (ps: Pod[]): string[] => ps.filter((p) => p.status?.phase === 'Running').map((p) => p.spec.nodeName!).sort()
  await waitFor(pods, (ps) => nodesOf(ps).join() === 'node-1,node-2', 'pods on node-1 and node-2')
  await waitFor(dss, (ds) => ds[0]?.status?.desiredNumberScheduled === 2 && ds[0].status.numberReady === 2, 'status')
  await c.addNode(4)
  await waitFor(pods, (ps) => nodesOf(ps).join() === 'node-1,node-2,node-4', 'pod on the node that joined')
  const ds = await waitFor(dss, (d) => d[0]?.status?.numberReady === 3 && d[0])
  t.match(ds.status, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberMisscheduled: 0 })
  const pod = pods.cache.list().find((p) => p.spec.nodeName === 'node-4')!
  t.same(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-4'] }] }])
  t.ok(pod.spec.tolerations?.some((x) => x.key === 'node.kubernetes.io/unreachable'), 'daemon tolerations added')
})

t.test('a template change rolls the DaemonSet node by node (maxUnavailable 1) until kubectl rollout status would succeed', async (t) => {
  const c = await startCluster(t, { nodes: 3, controllers: ['daemonset'] })
  const pods = await c.watch<Pod>('pods', 'kube-system')
  const dss = await c.watch<DaemonSet>('daemonsets', 'kube-system')
  const spec = (v: string): DaemonSet['spec'] => ({
    selector: { matchLabels: { app: 'roll' } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    template: { metadata: { labels: { app: 'roll' } }, spec: { containers: [{ name: 'a', image: 'kplab/echo', env: [{ name: 'V', value: v }] }] } },
  })
  await c.client.create(res('daemonsets'), { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'roll', namespace: 'kube-system' }, spec: spec('1') } as DaemonSet)
  // What `kubectl rollout status ds/roll` waits for (upstream DaemonSetStatusViewer).
  const rolledOut = (d: DaemonSet | undefined): DaemonSet | undefined => {
    const s = d?.status
    return s && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) && s.desiredNumberScheduled === 3 && s.updatedNumberScheduled === 3 && s.numberAvailable === 3 ? d : undefined
  }
  const first = await waitFor(dss, (ds) => rolledOut(ds.find((d) => d.metadata.name === 'roll')), 'first rollout')
  const hash1 = pods.cache.list()[0]!.metadata.labels?.['controller-revision-hash']
  t.ok(hash1, 'pods carry controller-revision-hash')
  const readyNodes = (): number => new Set(pods.cache.list().filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')).map((p) => p.spec.nodeName)).size
  let minReady = Infinity
  const track = (): void => {
    minReady = Math.min(minReady, readyNodes())
  }
  pods.on('event', track)
  await c.client.update(res('daemonsets'), { ...first, spec: spec('2') })
  const done = await waitFor(dss, (ds) => rolledOut(ds.find((d) => d.metadata.name === 'roll' && (d.metadata.generation ?? 0) >= 2)), 'second rollout')
  await waitFor(pods, (ps) => ps.length === 3 && ps.every((p) => p.metadata.labels?.['controller-revision-hash'] !== hash1) && ps, 'old pods gone')
  pods.off('event', track)
  t.ok(minReady >= 2, `never more than one node without a ready daemon (min ready nodes ${minReady})`)
  t.equal(new Set(pods.cache.list().map((p) => p.metadata.labels?.['controller-revision-hash'])).size, 1, 'one revision left')
  t.equal(done.status?.observedGeneration, done.metadata.generation)
})
