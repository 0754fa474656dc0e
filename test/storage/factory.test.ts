import t from 'tap'
import { EmbeddedStore } from '../../src/storage/embedded/store.js'
import { StoreUnavailableError } from '../../src/storage/errors.js'
import { EtcdStore } from '../../src/storage/etcd/store.js'
import { createStore } from '../../src/storage/factory.js'

t.test('createStore picks the backend', async (t) => {
  const mem = createStore({ backend: 'embedded' })
  t.type(mem, EmbeddedStore)
  await mem.open()
  const created = await mem.create('/registry/pods/default/a', { metadata: { name: 'a' } })
  t.equal(created.metadata.resourceVersion, '1')
  await mem.close()

  const dir = t.testdir()
  const durable = createStore({ backend: 'embedded', dataDir: dir })
  await durable.open()
  await durable.create('/registry/pods/default/a', { metadata: { name: 'a' } })
  await durable.close()
  const reopened = createStore({ backend: 'embedded', dataDir: dir })
  await reopened.open()
  t.equal((await reopened.get('/registry/pods/default/a'))?.metadata.name, 'a', 'dataDir makes it durable')
  await reopened.close()

  t.type(createStore({ backend: 'etcd3', etcdServers: ['http://127.0.0.1:2379'] }), EtcdStore, 'etcd3 builds without connecting')
  t.throws(() => createStore({ backend: 'etcd3' }), StoreUnavailableError, 'etcd3 without servers')
  t.throws(() => createStore({ backend: 'bogus' as 'embedded' }), /unknown storage backend "bogus"/)
})
