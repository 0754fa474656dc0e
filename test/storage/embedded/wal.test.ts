import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { decodeRecords, encodeRecord } from '../../../src/storage/embedded/record.js'
import { fsyncDir, listSegments, parseSegmentName, segmentName, Wal } from '../../../src/storage/embedded/wal.js'

t.test('segment names sort by first revision', async (t) => {
  t.equal(segmentName(1), 'wal-00000000000000000001.log')
  t.equal(parseSegmentName(segmentName(123456)), 123456)
  t.equal(parseSegmentName('wal-1.log'), undefined)
  t.equal(parseSegmentName('wal-00000000000000000001.log.broken'), undefined)
  const dir = t.testdir({ [segmentName(100)]: '', [segmentName(9)]: '', 'snapshot-x.json': '', [`${segmentName(5)}.broken`]: '' })
  t.same((await listSegments(dir)).map((s) => s.firstRev), [9, 100])
})

t.test('append writes one batch with one fdatasync; rotate switches segments', async (t) => {
  const dir = t.testdir()
  const wal = await Wal.open(dir, segmentName(1))
  t.teardown(() => wal.close())
  await wal.append([encodeRecord(Buffer.from('a')), encodeRecord(Buffer.from('b'))])
  await wal.append([encodeRecord(Buffer.from('c'))])
  t.equal(wal.batches, 2)
  t.equal(wal.fsyncs, 2)
  await wal.rotate(4)
  await wal.append([encodeRecord(Buffer.from('d'))])
  t.same(decodeRecords(await readFile(join(dir, segmentName(1)))).payloads.map(String), ['a', 'b', 'c'])
  t.same(decodeRecords(await readFile(join(dir, segmentName(4)))).payloads.map(String), ['d'])
})

t.test('open appends to an existing segment; fsync off skips fdatasync', async (t) => {
  const dir = t.testdir()
  await writeFile(join(dir, segmentName(1)), encodeRecord(Buffer.from('old')))
  const wal = await Wal.open(dir, segmentName(1), { fsync: false })
  await wal.append([encodeRecord(Buffer.from('new'))])
  await wal.close()
  t.equal(wal.fsyncs, 0)
  t.equal(wal.batches, 1)
  t.same(decodeRecords(await readFile(join(dir, segmentName(1)))).payloads.map(String), ['old', 'new'])
  await fsyncDir(dir)
  t.same(await readdir(dir), [segmentName(1)])
})
