import t from 'tap'
import { UsageError } from '../../src/base/errors.js'
import { parseHostPort, parseProxyOptions, PROXY_FLAGS } from '../../src/proxy/options.js'

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
