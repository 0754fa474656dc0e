import t from 'tap'
import { Readable } from 'node:stream'
import { WatchDecodeError, decodeWatchStream } from '../../src/client/watch-stream.js'

const collect = async (chunks: string[]): Promise<unknown[]> => {
  const out: unknown[] = []
  for await (const ev of decodeWatchStream(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(ev)
  return out
}

t.test('events split across chunks and several per chunk', async (t) => {
  const a = { type: 'ADDED', object: { metadata: { name: 'a' } } }
  const b = { type: 'DELETED', object: { metadata: { name: 'b' } } }
  const text = `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`
  t.same(await collect([text.slice(0, 10), text.slice(10, 50), text.slice(50)]), [a, b])
  t.same(await collect([`${JSON.stringify(a)}\n\n${JSON.stringify(b)}`]), [a, b], 'blank lines skipped, last line without newline decoded')
})

t.test('garbage is a WatchDecodeError', async (t) => {
  await t.rejects(collect(['not json\n']), WatchDecodeError)
  await t.rejects(collect(['{"type":"WHAT","object":{}}\n']), WatchDecodeError)
  await t.rejects(collect(['{"type":"ADDED"}\n']), WatchDecodeError)
})
