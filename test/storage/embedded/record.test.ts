import t from 'tap'
import { crc32, crc32Table, decodeRecords, encodeRecord, MAX_RECORD_BYTES, RECORD_HEADER_BYTES } from '../../../src/storage/embedded/record.js'

t.test('crc32 matches the IEEE check value, native and table-driven', async (t) => {
  // The standard CRC-32 check value of "123456789" (published with the algorithm), not computed here.
  t.equal(crc32(Buffer.from('123456789')), 0xcbf43926)
  t.equal(crc32Table(Buffer.from('123456789')), 0xcbf43926)
  t.equal(crc32Table(Buffer.alloc(0)), 0)
  const buf = Buffer.from('the table and zlib agree on arbitrary bytes \u00ff\u0000')
  t.equal(crc32Table(buf), crc32(buf))
})

t.test('records round-trip with their framing', async (t) => {
  const a = Buffer.from('{"r":1}')
  const b = Buffer.from('{"r":2,"k":"x"}')
  const rec = encodeRecord(a)
  t.equal(rec.length, RECORD_HEADER_BYTES + a.length)
  t.equal(rec.readUInt32LE(0), a.length, 'u32 length first')
  const out = decodeRecords(Buffer.concat([rec, encodeRecord(b)]))
  t.same(out.payloads.map(String), [String(a), String(b)])
  t.equal(out.stop, undefined)
  t.equal(out.validLength, rec.length * 2 - a.length + b.length)
  t.same(decodeRecords(Buffer.alloc(0)), { payloads: [], validLength: 0 })
})

t.test('decoding stops at the first torn or corrupt record', async (t) => {
  const good = encodeRecord(Buffer.from('{"r":1}'))
  const next = encodeRecord(Buffer.from('{"r":2}'))
  const cases: [string, Buffer, string][] = [
    ['short header', Buffer.concat([good, next.subarray(0, 5)]), 'torn-header'],
    ['short payload', Buffer.concat([good, next.subarray(0, next.length - 1)]), 'torn-payload'],
    ['zero length', Buffer.concat([good, Buffer.alloc(16)]), 'bad-length'],
    ['huge length', Buffer.concat([good, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]), 'bad-length'],
  ]
  const flipped = Buffer.from(next)
  flipped[RECORD_HEADER_BYTES + 1]! ^= 1
  cases.push(['bit flip', Buffer.concat([good, flipped, good]), 'bad-crc'])
  for (const [name, buf, stop] of cases) {
    const out = decodeRecords(buf)
    t.equal(out.stop, stop, name)
    t.equal(out.validLength, good.length, `${name}: valid up to the first record`)
    t.equal(out.payloads.length, 1, `${name}: nothing after the damage`)
  }
  t.ok(MAX_RECORD_BYTES < 0xffffffff)
})
