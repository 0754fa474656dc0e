import t from 'tap'
import { EmbeddedStore } from '../../../src/storage/embedded/store.js'
import { StoreUnavailableError } from '../../../src/storage/errors.js'
import type { Store } from '../../../src/storage/store.js'
import { collector, pod, runStoreContract } from '../contract.js'

async function overflowHistory(s: Store): Promise<number> {
  // History holds 50 events: 60 more writes push the earliest revisions out.
  const before = await s.currentRevision()
  for (let i = 0; i < 60; i++) await s.create(`/registry/configmaps/default/c${i}`, { metadata: { name: `c${i}` } })
  return before + 1
}

t.test('memory-only EmbeddedStore satisfies the Store contract', async (t) => {
  runStoreContract(t, {
    async make(t) {
      const s = new EmbeddedStore({ historySize: 50 })
      await s.open()
      t.teardown(() => s.close())
      return s
    },
    expire: overflowHistory,
  })
})

t.test('durable EmbeddedStore (log + snapshots) satisfies the Store contract', async (t) => {
  runStoreContract(t, {
    async make(t) {
      // Registered before t.testdir(), so the store (and any snapshot in flight) closes before the
      // directory is removed.
      let s: EmbeddedStore | undefined
      t.teardown(() => s?.close())
      // snapshotEvery is small so the contract's bulk cases also run through snapshot + rotation.
      s = new EmbeddedStore({ dataDir: t.testdir(), historySize: 50, snapshotEvery: 300 })
      await s.open()
      return s
    },
    expire: overflowHistory,
  })
})

t.test('group commit: parallel writes share fsyncs, and all are durable', async (t) => {
  const dir = t.testdir()
  const s = new EmbeddedStore({ dataDir: dir })
  await s.open()
  const n = 1000
  await Promise.all(Array.from({ length: n }, (_, i) => s.create(`/registry/pods/default/p${i}`, pod(`p${i}`))))
  const st = s.stats()
  t.equal(st.records, n, 'every write was logged')
  t.ok(st.fsyncs >= 1, 'writes were fsynced')
  t.ok(st.fsyncs < n, `fewer fsyncs (${st.fsyncs}) than writes (${n})`)
  t.equal(st.fsyncs, st.batches, 'one fdatasync per batch')
  await s.close()
  const again = new EmbeddedStore({ dataDir: dir })
  await again.open()
  t.teardown(() => again.close())
  t.equal((await again.list('/registry/pods/')).items.length, n)
  t.equal(await again.currentRevision(), n)
})

t.test('fsync: false skips fdatasync', async (t) => {
  const s = new EmbeddedStore({ dataDir: t.testdir(), fsync: false })
  await s.open()
  t.teardown(() => s.close())
  await s.create('/registry/pods/default/a', pod('a'))
  t.equal(s.stats().fsyncs, 0)
  t.equal(s.stats().records, 1)
})

t.test('stored objects are frozen and shared by readers and watchers', async (t) => {
  const s = new EmbeddedStore()
  await s.open()
  t.teardown(() => s.close())
  const c = collector()
  await s.watch('/registry/', 0, c)
  const created = await s.create('/registry/pods/default/a', pod('a', 'default', { status: { phase: 'Pending' } }))
  const got = await s.get('/registry/pods/default/a')
  t.ok(Object.isFrozen(got) && Object.isFrozen(got!.metadata) && Object.isFrozen(got!.status), 'deeply frozen')
  t.throws(() => {
    ;(got!.metadata as { name: string }).name = 'x'
  }, TypeError)
  t.equal(got, created, 'get returns the same object the write returned')
  t.equal((await c.wait(1))[0]!.object, got, 'watchers get the same object, not a copy')
})

t.test('lifecycle: use before open, after close; close ends watches', async (t) => {
  const s = new EmbeddedStore()
  await t.rejects(s.get('/registry/x'), StoreUnavailableError)
  await s.open()
  await t.rejects(s.open(), StoreUnavailableError, 'open twice')
  const c = collector()
  await s.watch('/registry/', 0, c)
  await s.close()
  t.type(await c.waitError(), StoreUnavailableError, 'watchers hear that the store closed')
  await t.rejects(s.create('/registry/x', pod('x')), /closed/)
  await s.close()
})

t.test('close waits for writes already accepted', async (t) => {
  const dir = t.testdir()
  const s = new EmbeddedStore({ dataDir: dir })
  await s.open()
  const writes = Array.from({ length: 50 }, (_, i) => s.create(`/registry/pods/default/p${i}`, pod(`p${i}`)))
  await s.close()
  t.equal((await Promise.allSettled(writes)).filter((o) => o.status === 'fulfilled').length, 50)
  const again = new EmbeddedStore({ dataDir: dir })
  await again.open()
  t.teardown(() => again.close())
  t.equal(await again.currentRevision(), 50)
})

t.test('options are validated', async (t) => {
  t.throws(() => new EmbeddedStore({ historySize: 0 }), RangeError)
  t.throws(() => new EmbeddedStore({ snapshotEvery: -1 }), /snapshotEvery/)
})

t.test('a data dir is locked against a second store', async (t) => {
  const dir = t.testdir()
  const a = new EmbeddedStore({ dataDir: dir })
  await a.open()
  await t.rejects(new EmbeddedStore({ dataDir: dir }).open(), { name: 'StoreUnavailableError', message: /already open in this process/ })
  await a.close()
  const b = new EmbeddedStore({ dataDir: dir })
  await b.open()
  t.teardown(() => b.close())
  t.pass('closing releases the lock')
})

t.test('a failed log write stops the store instead of acknowledging', async (t) => {
  const s = new EmbeddedStore({ dataDir: t.testdir() })
  await s.open()
  t.teardown(() => s.close())
  await s.create('/registry/pods/default/a', pod('a'))
  const c = collector()
  await s.watch('/registry/', 1, c)
  // Stand-in for a disk error: close the log's file handle behind the store's back.
  await (s as unknown as { wal: { close(): Promise<void> } }).wal.close()
  const outcomes = await Promise.allSettled([s.create('/registry/pods/default/b', pod('b')), s.create('/registry/pods/default/c', pod('c'))])
  t.same(outcomes.map((o) => o.status), ['rejected', 'rejected'], 'nothing unlogged is acknowledged')
  t.match((outcomes[0] as PromiseRejectedResult).reason, { name: 'StoreUnavailableError', message: /log write failed/ })
  t.type(await c.waitError(), StoreUnavailableError, 'watchers are told')
  t.equal(c.events.length, 0, 'the failed writes were never visible')
  await t.rejects(s.get('/registry/pods/default/a'), /restart to recover/)
})
