import t from 'tap'
import { EtcdStore } from '../../../src/storage/etcd/store.js'
import { StoreUnavailableError } from '../../../src/storage/errors.js'
import { startEtcd } from '../../support/etcd.js'
import { hasCommand, requireCapability } from '../../support/env.js'
import { collector, pod, runStoreContract } from '../contract.js'

t.test('EtcdStore against a real etcd', async (t) => {
  if (!requireCapability(t, hasCommand('etcd'), 'etcd not installed (apt-get install etcd-server)')) return
  const { endpoint } = await startEtcd(t)
  // One etcd for all cases (starting one costs ~1 s); each case wipes /registry/ first.
  t.test('contract', async (t) => {
    runStoreContract(t, {
      async make(t) {
        const s = new EtcdStore({ endpoints: [endpoint] })
        await s.open()
        t.teardown(() => s.close())
        for (const k of (await s.list('/registry/')).keys) await s.delete(k)
        t.equal((await s.list('/registry/')).items.length, 0, 'starts empty')
        return s
      },
      async expire(s) {
        const store = s as EtcdStore
        await store.create(`/registry/configmaps/default/expire`, { metadata: { name: 'x' } })
        const rev = await store.currentRevision()
        await store.compact(rev)
        return rev - 1
      },
    })
  })

  t.test('values are stored without resourceVersion; mod_revision supplies it', async (t) => {
    const s = new EtcdStore({ endpoints: [endpoint] })
    await s.open()
    t.teardown(() => s.close())
    const created = await s.create('/registry/pods/raw/a', { ...pod('a', 'raw'), metadata: { name: 'a', resourceVersion: '999' } })
    t.not(created.metadata.resourceVersion, '999', 'a client-sent resourceVersion is not stored')
    const list = await s.list('/registry/pods/raw/')
    t.equal(list.items[0]!.metadata.resourceVersion, created.metadata.resourceVersion)
    t.ok(list.resourceVersion >= Number(created.metadata.resourceVersion), 'list revision is the header revision')
    const c = collector()
    const w = await s.watch('/registry/pods/raw/', Number(created.metadata.resourceVersion) - 1, c)
    t.teardown(() => w.stop())
    t.equal((await c.wait(1))[0]!.object.metadata.resourceVersion, created.metadata.resourceVersion, 'watch replays history from a past revision')
  })
})

t.test('EtcdStore reports an unreachable etcd as StoreUnavailableError', async (t) => {
  const s = new EtcdStore({ endpoints: ['http://127.0.0.1:1'], dialTimeoutMs: 200 })
  await t.rejects(s.open(), StoreUnavailableError)
  await s.close()
  t.throws(() => new EtcdStore({ endpoints: [] }), StoreUnavailableError)
})
