// The hidden `kplab loadgen` command in-process: flags to options, the JSON line experiments read,
// `--each` lines for curl, and flag errors.
import t from 'tap'
import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { realClock } from '../../../src/base/clock.js'
import { loadOptionsFromFlags, runLoadgen } from '../../../src/cli/commands/loadgen.js'
import type { LoadResult } from '../../../src/lab/loadgen.js'
import { memoryIo } from '../../support/cli-io.js'

t.test('flags become load options', async (t) => {
  const o = loadOptionsFromFlags({ url: 'http://x/', requests: '5', concurrency: '2', rate: '50', keepalive: false, duration: '1.5', timeout: '200', seed: '3' }, { clock: realClock })
  t.same([o.requests, o.concurrency, o.rate, o.keepAlive, o.durationMs, o.timeoutMs], [5, 2, 50, false, 1500, 200])
  t.equal(loadOptionsFromFlags({ url: 'http://x/' }, { clock: realClock }).keepAlive, true, 'keep-alive by default')
  t.throws(() => loadOptionsFromFlags({ url: 'http://x/', requests: 'many' }, { clock: realClock }), /invalid value "many" for -n\/--requests/)
})

t.test('--json prints one LoadResult line; --each prints every answer first', async (t) => {
  const server = createServer((_req, res) => res.end(JSON.stringify({ pod: 'p1', node: 'node1', podIP: '127.0.0.1' })))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const io = memoryIo()
  await runLoadgen({ url, requests: '4', json: true, each: true }, { ...io, clock: realClock })
  const lines = io.stdout().trim().split('\n')
  t.equal(lines.length, 5)
  t.same(lines.slice(0, 4).map((l) => (JSON.parse(l) as { pod: string }).pod), ['p1', 'p1', 'p1', 'p1'])
  const res = JSON.parse(lines[4]!) as LoadResult
  t.equal(res.pods.p1!.count, 4)
  const plain = memoryIo()
  await runLoadgen({ url, requests: '2' }, { ...plain, clock: realClock })
  t.match(plain.stdout(), /^p1\s+node1\s+2\s+100\.0%/m)
})
