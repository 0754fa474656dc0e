import t from 'tap'
import { PassThrough } from 'node:stream'
import { createLogger, silentLogger } from '../../src/base/logger.js'

t.test('a component logger writes one JSON line with the component name', async (t) => {
  const sink = new PassThrough()
  let out = ''
  sink.on('data', (d: Buffer) => (out += d.toString()))
  const log = createLogger({ component: 'apiserver', destination: sink })
  log.info({ port: 6443 }, 'listening')
  await new Promise<void>((resolve) => setImmediate(resolve))
  const line = JSON.parse(out.trim()) as Record<string, unknown>
  t.equal(line.component, 'apiserver')
  t.equal(line.msg, 'listening')
  t.equal(line.port, 6443)
  t.equal(silentLogger().level, 'silent')
})
