import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { compactAfterSnapshot, listSnapshots, parseSnapshotName, readSnapshot, snapshotName, writeSnapshot } from '../../../src/storage/embedded/snapshot.js'
import { segmentName } from '../../../src/storage/embedded/wal.js'

const entries: [string, { metadata: { name: string } }][] = [
  ['/registry/pods/default/a', { metadata: { name: 'a' } }],
  ['/registry/pods/default/b', { metadata: { name: 'b' } }],
]

t.test('write then read a snapshot; objects come back frozen', async (t) => {
  const dir = t.testdir()
  const name = await writeSnapshot(dir, 42, entries)
  t.equal(name, snapshotName(42))
  t.equal(parseSnapshotName(name), 42)
  t.same(await readdir(dir), [name], 'no temp file left')
  const snap = await readSnapshot(join(dir, name))
  t.same(snap, { revision: 42, entries })
  t.ok('entries' in snap && Object.isFrozen(snap.entries[0]![1].metadata))
  const empty = await readSnapshot(join(dir, await writeSnapshot(dir, 43, [])))
  t.same(empty, { revision: 43, entries: [] })
  t.same((await listSnapshots(dir)).map((s) => s.revision), [43, 42], 'newest first')
})

t.test('damaged snapshots are reported, not loaded', async (t) => {
  const dir = t.testdir()
  const path = join(dir, await writeSnapshot(dir, 7, entries))
  const good = await readFile(path)
  const flip = Buffer.from(good)
  flip[flip.length - 3]! ^= 0x01
  const cases: [string, Buffer, RegExp][] = [
    ['body bit flip', flip, /crc32/],
    ['truncated body', good.subarray(0, good.length - 10), /crc32/],
    ['no header line', Buffer.from('{}'), /no header/],
    ['garbage header', Buffer.from('nope\n[]'), /not JSON/],
    ['other format', Buffer.from('{"format":"x"}\n[]'), /unknown format/],
  ]
  for (const [name, buf, why] of cases) {
    await writeFile(path, buf)
    const res = await readSnapshot(path)
    t.ok('invalid' in res && why.test(res.invalid), `${name}: ${JSON.stringify(res)}`)
  }
})

t.test('compactAfterSnapshot keeps the snapshot and the segment after it', async (t) => {
  const dir = t.testdir({
    [segmentName(1)]: '',
    [segmentName(11)]: '',
    [segmentName(21)]: '',
    [snapshotName(10)]: '',
    [snapshotName(20)]: '',
    [`${snapshotName(30)}.tmp`]: '',
    'unrelated.txt': '',
  })
  await compactAfterSnapshot(dir, 20)
  t.same((await readdir(dir)).sort(), [snapshotName(20), 'unrelated.txt', segmentName(21)].sort())
})
