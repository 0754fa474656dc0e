// The Store contract, as cases shared by every implementation (embedded, etcd): each backend's test
// file calls runStoreContract with a factory. Not a test file itself.
import { EventEmitter, once } from 'node:events'
import type { Test } from 'tap'
import type { KubeObject } from '../../src/api/meta.js'
import { ConflictError, ExpiredError, KeyExistsError, KeyNotFoundError } from '../../src/storage/errors.js'
import type { Store, StoreEvent } from '../../src/storage/store.js'

/** How a backend's test file plugs into the contract. */
export interface ContractBackend {
  /** An opened, empty store; the factory registers its own teardown. */
  make(t: Test): Promise<Store>
  /** Makes every revision up to (and including) the returned one unwatchable (compaction, history overflow). */
  expire(store: Store): Promise<number>
}

/** A pod-shaped object. */
export function pod(name: string, ns = 'default', extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, uid: `uid-${ns}-${name}` }, spec: { nodeName: 'n1' }, ...extra }
}

/** Collects a watch's events; wait(n) resolves once n have arrived (no polling, no sleeps). */
export function collector(): { events: StoreEvent[]; errors: Error[]; onEvent(ev: StoreEvent): void; onError(err: Error): void; wait(n: number): Promise<StoreEvent[]>; waitError(): Promise<Error> } {
  const bus = new EventEmitter()
  const events: StoreEvent[] = []
  const errors: Error[] = []
  return {
    events,
    errors,
    onEvent(ev) {
      events.push(ev)
      bus.emit('event')
    },
    onError(err) {
      errors.push(err)
      bus.emit('error-seen')
    },
    async wait(n) {
      while (events.length < n) await once(bus, 'event')
      return events.slice(0, n)
    },
    async waitError() {
      while (errors.length === 0) await once(bus, 'error-seen')
      return errors[0]!
    },
  }
}

const rv = (o: KubeObject): number => Number(o.metadata.resourceVersion)
const P = '/registry/pods/'

/** Runs the shared cases against one backend. */
export function runStoreContract(t: Test, backend: ContractBackend): void {
  t.test('create, get, update, delete stamp resourceVersion with the revision', async (t) => {
    const s = await backend.make(t)
    const input = pod('a')
    const created = await s.create(`${P}default/a`, input)
    t.equal(input.metadata.resourceVersion, undefined, 'the caller object is not modified')
    t.equal(created.metadata.name, 'a')
    t.equal(rv(created), await s.currentRevision(), 'resourceVersion is the revision of the write')
    t.same(await s.get(`${P}default/a`), created)
    t.equal(await s.get(`${P}default/missing`), undefined)

    const updated = await s.update(`${P}default/a`, { ...pod('a'), spec: { nodeName: 'n2' } })
    t.ok(rv(updated) > rv(created), 'update bumps the revision')
    t.same((await s.get(`${P}default/a`))?.spec, { nodeName: 'n2' })

    const deleted = await s.delete(`${P}default/a`)
    t.ok(rv(deleted) > rv(updated), 'delete returns the object stamped with the deletion revision')
    t.same(deleted.spec, { nodeName: 'n2' }, 'delete returns the last state')
    t.equal(rv(deleted), await s.currentRevision())
    t.equal(await s.get(`${P}default/a`), undefined)
  })

  t.test('errors: create existing, update or delete missing', async (t) => {
    const s = await backend.make(t)
    await s.create(`${P}default/a`, pod('a'))
    await t.rejects(s.create(`${P}default/a`, pod('a')), KeyExistsError)
    await t.rejects(s.update(`${P}default/b`, pod('b')), KeyNotFoundError)
    await t.rejects(s.delete(`${P}default/b`), KeyNotFoundError)
    const err = await s.create(`${P}default/a`, pod('a')).catch((e: unknown) => e)
    t.equal((err as KeyExistsError).key, `${P}default/a`, 'the error names the key')
  })

  t.test('revisions increase by write, globally across keys', async (t) => {
    const s = await backend.make(t)
    const start = await s.currentRevision()
    const seen: number[] = []
    for (let i = 0; i < 20; i++) seen.push(rv(await s.create(`/registry/${i % 2 ? 'pods' : 'services'}/default/x${i}`, pod(`x${i}`))))
    for (let i = 1; i < seen.length; i++) t.ok(seen[i]! > seen[i - 1]!, `revision ${seen[i]} > ${seen[i - 1]}`)
    t.ok(seen[0]! > start)
    t.equal(await s.currentRevision(), seen[seen.length - 1])
  })

  t.test('preconditions on resourceVersion and uid', async (t) => {
    const s = await backend.make(t)
    const k = `${P}default/a`
    const v1 = await s.create(k, pod('a'))
    const v2 = await s.update(k, { ...pod('a'), spec: { nodeName: 'n2' } }, { resourceVersion: rv(v1), uid: 'uid-default-a' })
    await t.rejects(s.update(k, { ...pod('a'), spec: { nodeName: 'n3' } }, { resourceVersion: rv(v1) }), ConflictError, 'stale resourceVersion')
    await t.rejects(s.update(k, { ...pod('a'), spec: { nodeName: 'n3' } }, { uid: 'other' }), ConflictError, 'wrong uid')
    await t.rejects(s.delete(k, { resourceVersion: rv(v1) }), ConflictError, 'stale delete')
    await t.rejects(s.delete(k, { uid: 'other' }), ConflictError, 'delete with wrong uid')
    t.same((await s.get(k))?.spec, { nodeName: 'n2' }, 'failed writes change nothing')
    const gone = await s.delete(k, { resourceVersion: rv(v2), uid: 'uid-default-a' })
    t.equal(gone.metadata.name, 'a')
  })

  t.test('an update that changes nothing keeps the resourceVersion', async (t) => {
    const s = await backend.make(t)
    const v1 = await s.create(`${P}default/a`, pod('a'))
    const same = await s.update(`${P}default/a`, { ...pod('a') })
    t.equal(same.metadata.resourceVersion, v1.metadata.resourceVersion)
    t.equal(await s.currentRevision(), rv(v1), 'no revision was spent')
  })

  t.test('list: prefix, key order, revision, pagination', async (t) => {
    const s = await backend.make(t)
    const names = ['c', 'a', 'b', 'e', 'd']
    for (const n of names) await s.create(`${P}ns1/${n}`, pod(n, 'ns1'))
    await s.create(`${P}ns10/a`, pod('a', 'ns10'))
    await s.create(`/registry/services/ns1/a`, pod('a', 'ns1'))
    const all = await s.list(`${P}ns1/`)
    t.same(all.keys, ['a', 'b', 'c', 'd', 'e'].map((n) => `${P}ns1/${n}`), 'only the prefix, in key order (ns10 excluded)')
    t.same(all.items.map((o) => o.metadata.name), ['a', 'b', 'c', 'd', 'e'])
    t.equal(all.hasMore, false)
    t.equal(all.resourceVersion, await s.currentRevision())
    t.equal((await s.list(P)).items.length, 6)
    t.equal((await s.list('/registry/nothing/')).items.length, 0)

    const pages: string[][] = []
    let after: string | undefined
    for (;;) {
      const page = await s.list(`${P}ns1/`, { limit: 2, afterKey: after })
      pages.push(page.keys)
      if (!page.hasMore) break
      after = page.keys[page.keys.length - 1]
    }
    t.same(pages.map((p) => p.length), [2, 2, 1])
    t.same(pages.flat(), all.keys, 'pages cover the list exactly once')
    const exact = await s.list(`${P}ns1/`, { limit: 5 })
    t.equal(exact.hasMore, false, 'a limit equal to the count is not cut short')
  })

  t.test('watch: order, types, prevObject, prefix filtering', async (t) => {
    const s = await backend.make(t)
    const from = await s.currentRevision()
    const c = collector()
    const w = await s.watch(`${P}ns1/`, from, c)
    t.teardown(() => w.stop())
    const a = await s.create(`${P}ns1/a`, pod('a', 'ns1'))
    await s.create(`${P}ns2/a`, pod('a', 'ns2'))
    await s.create(`${P}ns10/a`, pod('a', 'ns10'))
    const a2 = await s.update(`${P}ns1/a`, { ...pod('a', 'ns1'), spec: { nodeName: 'n9' } })
    const del = await s.delete(`${P}ns1/a`)
    const evs = await c.wait(3)
    t.same(evs.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED'])
    t.same(evs.map((e) => e.resourceVersion), [rv(a), rv(a2), rv(del)])
    t.same(evs[1]!.prevObject, a, 'MODIFIED carries the previous object')
    t.same(evs[2]!.object.spec, { nodeName: 'n9' }, 'DELETED carries the last state')
    t.equal(rv(evs[2]!.object), rv(del), 'stamped with the deletion revision')
    t.same(evs[2]!.prevObject, a2)
    t.equal(evs.every((e) => e.key === `${P}ns1/a`), true)
  })

  t.test('watch: resume from a past revision replays history, then goes live', async (t) => {
    const s = await backend.make(t)
    const revs: number[] = []
    for (let i = 0; i < 5; i++) revs.push(rv(await s.create(`${P}default/p${i}`, pod(`p${i}`))))
    const c = collector()
    const w = await s.watch(P, revs[1]!, c)
    t.teardown(() => w.stop())
    revs.push(rv(await s.create(`${P}default/p5`, pod('p5'))))
    const evs = await c.wait(4)
    t.same(evs.map((e) => e.resourceVersion), revs.slice(2), 'every event after fromRevision, in order, none twice')
    t.same(evs.map((e) => e.object.metadata.name), ['p2', 'p3', 'p4', 'p5'])
    w.stop()
    await s.create(`${P}default/p6`, pod('p6'))
    const c2 = collector()
    const w2 = await s.watch(P, revs[5]!, c2)
    t.teardown(() => w2.stop())
    t.equal((await c2.wait(1))[0]!.object.metadata.name, 'p6', 'a stopped watch got nothing more; a new one resumes')
    t.equal(c.events.length, 4, 'the stopped watch received nothing after stop()')
  })

  t.test('watch from a compacted revision is Expired', async (t) => {
    const s = await backend.make(t)
    await s.create(`${P}default/a`, pod('a'))
    const gone = await backend.expire(s)
    const c = collector()
    let err: unknown
    try {
      const w = await s.watch(P, gone - 1, c)
      t.teardown(() => w.stop())
      err = await c.waitError()
    } catch (e) {
      err = e
    }
    t.type(err, ExpiredError, 'ExpiredError, thrown or through onError')
  })

  t.test('1000 parallel creates: all acknowledged, distinct revisions, all listed', async (t) => {
    const s = await backend.make(t)
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => s.create(`${P}bulk/p${String(i).padStart(4, '0')}`, pod(`p${i}`, 'bulk'))))
    const revs = new Set(results.map(rv))
    t.equal(revs.size, 1000, 'distinct revisions')
    t.equal(await s.currentRevision(), Math.max(...revs))
    const list = await s.list(`${P}bulk/`)
    t.equal(list.items.length, 1000)
    t.same(list.keys, [...list.keys].sort(), 'listed in key order')
  })

  t.test('concurrent creates of one key: exactly one wins', async (t) => {
    const s = await backend.make(t)
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => s.create(`${P}default/race`, pod('race'))))
    t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1)
    t.equal(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof KeyExistsError).length, 9)
  })

  t.test('concurrent updates with the same precondition: exactly one wins', async (t) => {
    const s = await backend.make(t)
    const v1 = await s.create(`${P}default/cas`, pod('cas'))
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => s.update(`${P}default/cas`, { ...pod('cas'), spec: { nodeName: `other-${i}` } }, { resourceVersion: rv(v1) })),
    )
    t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1)
    t.equal(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof ConflictError).length, 9)
  })
}
