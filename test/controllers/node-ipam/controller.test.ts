import t from 'tap'
import type { Node } from '../../../src/api/types.js'
import { startCluster, waitFor } from '../cluster.js'

t.test('every node gets its own /24 from --cluster-cidr, including nodes that join later', async (t) => {
  const c = await startCluster(t, { nodes: 2, controllers: ['node-ipam'], settings: { clusterCIDR: '10.244.0.0/16' } })
  const nodes = await c.watch<Node>('nodes')
  await c.addNode(3)
  const all = await waitFor(nodes, (ns) => ns.length === 3 && ns.every((n) => n.spec?.podCIDR) && ns, 'all allocated')
  const cidrs = all.map((n) => n.spec!.podCIDR!).sort()
  t.same(cidrs, ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24'])
  for (const n of all) t.same(n.spec!.podCIDRs, [n.spec!.podCIDR])
})
