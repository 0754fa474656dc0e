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
