import t from 'tap'
import { UsageError } from '../../src/base/errors.js'
import { resolveControllerList, resolveControllerManagerOptions } from '../../src/controllers/options.js'

t.test('defaults and parsing', async (t) => {
  const o = resolveControllerManagerOptions({})
  t.match(o, { nodeCIDRMaskSize: 24, nodeMonitorGracePeriodMs: 40_000, nodeMonitorPeriodMs: 5_000, defaultTolerationSeconds: 300, leaderElect: true, leaseName: 'kube-controller-manager', leaseNamespace: 'kube-system' })
  t.equal(o.clusterCIDR, undefined)
  t.same(o.controllers, ['deployment', 'replicaset', 'daemonset', 'endpointslice', 'node-ipam', 'node-lifecycle', 'garbage-collector'])
  t.match(resolveControllerManagerOptions({ clusterCIDR: '10.244.0.0/16', nodeMonitorGracePeriodMs: '10s', leaderElect: 'false' }), { clusterCIDR: '10.244.0.0/16', nodeMonitorGracePeriodMs: 10_000, leaderElect: false })
})

t.test('controller lists: *, -name, explicit; unknown names are usage errors', async (t) => {
  t.same(resolveControllerList('*,-garbage-collector,-node-ipam'), ['deployment', 'replicaset', 'daemonset', 'endpointslice', 'node-lifecycle'])
  t.same(resolveControllerList('endpointslice,deployment'), ['deployment', 'endpointslice'])
  t.throws(() => resolveControllerList('deploymnet'), UsageError)
  t.throws(() => resolveControllerManagerOptions({ clusterCIDR: '10.244.0.0' }), /--cluster-cidr: "10.244.0.0" is not an IPv4 CIDR/)
  t.throws(() => resolveControllerManagerOptions({ nodeMonitorPeriodMs: 'soon' }), /--node-monitor-period: "soon" is not a duration/)
})
