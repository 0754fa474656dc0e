import t from 'tap'
import { UsageError } from '../../src/base/errors.js'
import { parseDurationFlag, parseHostPort, parseProxyOptions, proxyLabelSelector, PROXY_FLAGS } from '../../src/proxy/options.js'

t.test('defaults and validation name the flag', async (t) => {
  const o = parseProxyOptions({})
  t.same([o.mode, o.lbAlgorithm, o.bindAddress, o.metricsHost, o.metricsPort, o.cleanup], ['userspace', 'round-robin', '127.0.0.1', '127.0.0.1', 10249, false])
  t.equal(parseProxyOptions({ lbAlgorithm: 'p2c' }).lbAlgorithm, 'power-of-two-choices', 'aliases resolve to the canonical name')
  t.equal(parseProxyOptions({ netns: 'kplab-node' }).bindAddress, '0.0.0.0', 'REDIRECT targets need a non-loopback bind')
  t.throws(() => parseProxyOptions({ mode: 'ipvs' }), new UsageError('invalid value "ipvs" for --mode: use iptables or userspace'))
  t.throws(() => parseProxyOptions({ lbAlgorithm: 'fastest' }), /--lb-algorithm/)
  t.throws(() => parseProxyOptions({ netns: 'a b' }), /--netns/)
  t.same(parseHostPort('--x', '[::1]:0'), { host: '::1', port: 0 })
  t.throws(() => parseHostPort('--metrics-bind-address', '10249'), /--metrics-bind-address/)
  t.ok(PROXY_FLAGS.some((f) => f.flags.startsWith('--mode')))
})

t.test('iptables sync periods take Go durations and keep min <= period', async (t) => {
  const o = parseProxyOptions({ iptablesMinSyncPeriod: '500ms', iptablesSyncPeriod: '1m30s' })
  t.same([o.minSyncPeriodMs, o.syncPeriodMs], [500, 90_000])
  t.same([parseProxyOptions({}).minSyncPeriodMs, parseProxyOptions({}).syncPeriodMs], [1000, 30_000], "kube-proxy's defaults")
  t.equal(parseDurationFlag('--x', '0'), 0)
  t.equal(parseDurationFlag('--x', '1.5s'), 1500)
  t.throws(() => parseProxyOptions({ iptablesSyncPeriod: '30' }), /--iptables-sync-period: use a duration such as 1s/)
  t.throws(() => parseProxyOptions({ iptablesMinSyncPeriod: '1m', iptablesSyncPeriod: '30s' }), /--iptables-min-sync-period \(1m\) must be no larger than --iptables-sync-period/)
})

t.test('rule-shaping flags reach the generator options', async (t) => {
  const o = parseProxyOptions({ mode: 'iptables', hostnameOverride: 'node1', nodeIp: '192.168.56.11', clusterCidr: '10.244.0.0/16', masqueradeBit: '14' })
  t.same([o.generator.hostname, o.generator.nodeIPs, o.generator.localDetector], ['node1', ['192.168.56.11'], { mode: 'ClusterCIDR', cidr: '10.244.0.0/16' }])
  t.same(parseProxyOptions({}).generator.localDetector, { mode: 'None' }, 'no --cluster-cidr: no local detection, as kube-proxy')
  t.throws(() => parseProxyOptions({ clusterCidr: '10.244.0.0' }), /--cluster-cidr/)
})

t.test('service-proxy-name selects the Services this proxy handles, as upstream', async (t) => {
  t.equal(proxyLabelSelector(undefined), '!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless')
  t.equal(proxyLabelSelector('kplab-userspace'), 'service.kubernetes.io/service-proxy-name=kplab-userspace,!service.kubernetes.io/headless')
  t.equal(parseProxyOptions({ serviceProxyName: 'kplab-userspace' }).serviceProxyName, 'kplab-userspace')
  t.throws(() => parseProxyOptions({ serviceProxyName: 'a b' }), /--service-proxy-name/)
})
