import t from 'tap'
import { APISERVER_FLAGS, DEFAULT_MAX_REQUEST_BYTES, resolveApiServerOptions } from '../../src/apiserver/options.js'

t.test('defaults', async (t) => {
  const o = resolveApiServerOptions({}, '/home/u')
  t.same(o, {
    dataDir: '/home/u/.kplab/apiserver',
    bindAddress: '127.0.0.1',
    securePort: 6443,
    storageBackend: 'embedded',
    etcdServers: ['http://127.0.0.1:2379'],
    serviceClusterIPRange: '10.96.0.0/12',
    serviceNodePortRange: '30000-32767',
    maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
  })
  t.equal(DEFAULT_MAX_REQUEST_BYTES, 3 * 1024 * 1024)
})

t.test('values and their checks', async (t) => {
  const o = resolveApiServerOptions({ securePort: '0', etcdServers: 'http://a:1, http://b:2', tokenAuthFile: '~/t.csv', advertiseAddress: '192.168.56.10', storageBackend: 'etcd3' }, '/h')
  t.equal(o.securePort, 0)
  t.same(o.etcdServers, ['http://a:1', 'http://b:2'])
  t.equal(o.tokenAuthFile, '/h/t.csv')
  t.equal(o.advertiseAddress, '192.168.56.10')
  t.throws(() => resolveApiServerOptions({ securePort: '70000' }, '/h'), { message: /--secure-port/ })
  t.throws(() => resolveApiServerOptions({ storageBackend: 'mysql' }, '/h'), { message: /--storage-backend: "mysql"/ })
  t.throws(() => resolveApiServerOptions({ serviceClusterIPRange: '10.96.0.0' }, '/h'), { message: /--service-cluster-ip-range/ })
  t.throws(() => resolveApiServerOptions({ serviceNodePortRange: '30000' }, '/h'), { message: /--service-node-port-range/ })
  t.throws(() => resolveApiServerOptions({ maxRequestBytes: '10' }, '/h'), { message: /--max-request-bytes/ })
})

t.test('every flag maps to an option key, once', async (t) => {
  const keys = APISERVER_FLAGS.map((f) => f.key)
  t.equal(new Set(keys).size, keys.length)
  for (const f of APISERVER_FLAGS) t.match(f.flag, /^--[a-z-]+ <[a-z]+>$/)
})
