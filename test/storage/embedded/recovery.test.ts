import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { randomInt, seededRng } from '../../../src/base/rng.js'
import type { Mutation } from '../../../src/storage/embedded/mutation.js'
import { decodeRecords, RECORD_HEADER_BYTES } from '../../../src/storage/embedded/record.js'
import { recover } from '../../../src/storage/embedded/recovery.js'
import { EmbeddedStore, type EmbeddedStoreOptions } from '../../../src/storage/embedded/store.js'
import { ExpiredError, StoreUnavailableError } from '../../../src/storage/errors.js'
import { collector, pod } from '../contract.js'

const key = (i: number): string => `/registry/pods/default/p${String(i).padStart(4, '0')}`

async function openStore(t: Test, opts: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const s = new EmbeddedStore(opts)
  await s.open()
  t.teardown(() => s.close())
  return s
}

// Writes n creates, then updates every third and deletes every fifth; returns the expected state.
async function populate(s: EmbeddedStore, n: number): Promise<Map<string, string | undefined>> {
  for (let i = 0; i < n; i++) await s.create(key(i), pod(`p${i}`))
  for (let i = 0; i < n; i += 3) await s.update(key(i), { ...pod(`p${i}`), spec: { nodeName: 'moved' } })
  for (let i = 0; i < n; i += 5) await s.delete(key(i))
  const expected = new Map<string, string | undefined>()
  for (let i = 0; i < n; i++) expected.set(key(i), (await s.get(key(i)))?.metadata.resourceVersion)
  return expected
}

async function segments(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('wal-') && n.endsWith('.log')).sort()
}

// Byte offsets where each record of a segment starts.
function recordStarts(buf: Buffer): number[] {
  const starts: number[] = []
  let off = 0
  for (const p of decodeRecords(buf).payloads) {
    starts.push(off)
    off += RECORD_HEADER_BYTES + p.length
  }
  return starts
}

t.test('close without snapshot, reopen: every write is there', async (t) => {
  const dir = t.testdir()
  const s = new EmbeddedStore({ dataDir: dir })
  await s.open()
  const expected = await populate(s, 100)
  const rev = await s.currentRevision()
  await s.close()
  t.same(await readdir(dir).then((ns) => ns.filter((n) => n.startsWith('snapshot-'))), [], 'no snapshot was written')
  const again = await openStore(t, { dataDir: dir })
  t.equal(await again.currentRevision(), rev)
  for (const [k, v] of expected) t.equal((await again.get(k))?.metadata.resourceVersion, v, k)
  t.equal(again.stats().recovery?.recordsReplayed, rev)
  const next = await again.create(key(999), pod('p999'))
  t.equal(Number(next.metadata.resourceVersion), rev + 1, 'revisions continue where they stopped')
})

t.test('a log cut inside its last record recovers to the last whole record', async (t) => {
  const rng = seededRng('torn-tail')
  const base = t.testdir()
  for (let round = 0; round < 5; round++) {
    const dir = join(base, `round-${round}`)
    const s = new EmbeddedStore({ dataDir: dir })
    await s.open()
    for (let i = 0; i < 20; i++) await s.create(key(i), pod(`p${i}`))
    await s.close()
    const [seg] = await segments(dir)
    const path = join(dir, seg!)
    const buf = await readFile(path)
    const last = recordStarts(buf).at(-1)!
    const cut = last + 1 + randomInt(rng, buf.length - last - 1)
    await writeFile(path, buf.subarray(0, cut))

    const again = new EmbeddedStore({ dataDir: dir })
    await again.open()
    t.equal(await again.currentRevision(), 19, `cut at byte ${cut} of ${buf.length}: revision 19 survives`)
    t.equal(await again.get(key(19)), undefined, 'the torn record is gone')
    t.ok(await again.get(key(18)))
    t.equal((await stat(path)).size, last, 'the file was truncated at the last whole record')
    t.match(again.stats().recovery?.truncated, { segment: seg, offset: last, droppedBytes: cut - last })
    await again.create(key(19), pod('p19'))
    await again.close()
    const third = new EmbeddedStore({ dataDir: dir })
    await third.open()
    t.equal(await third.currentRevision(), 20, 'writes after the repair are recovered too')
    t.equal(third.stats().recovery?.truncated, undefined, 'no damage the second time')
    await third.close()
  }
})

t.test('a bad crc stops replay at that record', async (t) => {
  const dir = t.testdir()
  const s = new EmbeddedStore({ dataDir: dir })
  await s.open()
  for (let i = 0; i < 10; i++) await s.create(key(i), pod(`p${i}`))
  await s.close()
  const [seg] = await segments(dir)
  const path = join(dir, seg!)
  const buf = await readFile(path)
  const starts = recordStarts(buf)
  buf[starts[6]! + RECORD_HEADER_BYTES + 3]! ^= 0xff // a bit flip inside record 7's payload
  await writeFile(path, buf)
  const again = await openStore(t, { dataDir: dir })
  t.equal(await again.currentRevision(), 6, 'records 1..6 replayed')
  t.equal((await again.list('/registry/pods/')).items.length, 6)
  t.equal(again.stats().recovery?.truncated?.reason, 'bad-crc')
  t.equal((await stat(path)).size, starts[6])
})

t.test('a zero-filled tail (preallocated or lost blocks) is treated as torn', async (t) => {
  const dir = t.testdir()
  const s = new EmbeddedStore({ dataDir: dir })
  await s.open()
  for (let i = 0; i < 3; i++) await s.create(key(i), pod(`p${i}`))
  await s.close()
  const [seg] = await segments(dir)
  const path = join(dir, seg!)
  const buf = await readFile(path)
  await writeFile(path, Buffer.concat([buf, Buffer.alloc(4096)]))
  const again = await openStore(t, { dataDir: dir })
  t.equal(await again.currentRevision(), 3)
  t.equal(again.stats().recovery?.truncated?.reason, 'bad-length')
})

t.test('snapshot + compaction, then recovery from snapshot and log', async (t) => {
  const dir = t.testdir()
  const s = new EmbeddedStore({ dataDir: dir, snapshotEvery: 50, historySize: 1000 })
  await s.open()
  for (let i = 0; i < 175; i++) await s.create(key(i), pod(`p${i}`))
  t.equal(s.stats().snapshots, 3)
  await s.close()
  const names = (await readdir(dir)).sort()
  t.same(names, ['snapshot-00000000000000000150.json', 'wal-00000000000000000151.log'], 'one snapshot and the segment after it')

  const again = await openStore(t, { dataDir: dir, historySize: 1000 })
  t.equal(await again.currentRevision(), 175)
  t.equal((await again.list('/registry/pods/')).items.length, 175)
  t.match(again.stats().recovery, { snapshotRevision: 150, recordsReplayed: 25, segmentsRead: 1 })
  const c = collector()
  const w = await again.watch('/registry/pods/', 160, c)
  t.teardown(() => w.stop())
  t.same((await c.wait(15)).map((e) => e.resourceVersion), Array.from({ length: 15 }, (_, i) => 161 + i), 'replayed records are watchable')
  await t.rejects(again.watch('/registry/pods/', 149, collector()), ExpiredError, 'revisions inside the snapshot are not')
})

t.test('snapshot() on demand; an explicit snapshot followed by more writes recovers', async (t) => {
  const dir = t.testdir()
  const s = new EmbeddedStore({ dataDir: dir })
  await s.open()
  const pending = Array.from({ length: 30 }, (_, i) => s.create(key(i), pod(`p${i}`)))
  await s.snapshot()
  await Promise.all(pending)
  await s.update(key(0), { ...pod('p0'), spec: { nodeName: 'after-snapshot' } })
  await s.close()
  const again = await openStore(t, { dataDir: dir })
  t.equal(await again.currentRevision(), 31)
  t.same((await again.get(key(0)))?.spec, { nodeName: 'after-snapshot' })
})

t.test('a damaged snapshot whose log was compacted away fails loudly', async (t) => {
  const dir = t.testdir()
  const s = new EmbeddedStore({ dataDir: dir, snapshotEvery: 10 })
  await s.open()
  for (let i = 0; i < 12; i++) await s.create(key(i), pod(`p${i}`))
  await s.close()
  const snap = join(dir, 'snapshot-00000000000000000010.json')
  const buf = await readFile(snap)
  buf[buf.length - 5]! ^= 0xff
  await writeFile(snap, buf)
  const again = new EmbeddedStore({ dataDir: dir })
  const err = await again.open().catch((e: unknown) => e)
  t.type(err, StoreUnavailableError)
  t.match((err as Error).message, /missing log records 1\.\.10 .*restore it from a backup/, 'says what is missing and what to do')
  t.match(await readdir(dir), ['snapshot-00000000000000000010.json', 'wal-00000000000000000011.log'], 'nothing was deleted')
})

t.test('recover() on an empty or missing directory starts at revision 0', async (t) => {
  const dir = join(t.testdir(), 'new')
  const seen: Mutation[] = []
  const res = await recover(dir, { onSnapshot: () => t.fail('no snapshot'), onMutation: (m) => seen.push(m) })
  t.equal(res.appendSegment, 'wal-00000000000000000001.log')
  t.match(res.report, { snapshotRevision: 0, recordsReplayed: 0, segmentsRead: 0 })
  t.equal(seen.length, 0)
})
