import t from 'tap'
import { UpstreamPool, type UpstreamConn, type UpstreamOwner } from '../../../src/proxy/userspace/http-pool.js'
import { httpBackend } from './fixtures.js'
import { once } from 'node:events'

const owner: UpstreamOwner = { onUpstreamData() {}, onUpstreamEnd() {}, onUpstreamClose() {}, onUpstreamDrain() {} }

t.test('released connections are reused, pruned and forgotten when closed', async (t) => {
  const b = await httpBackend(t, 'a')
  const pool = new UpstreamPool(1)
  t.teardown(() => pool.destroyAll())
  const first = pool.acquire(b.id, { host: '127.0.0.1', port: b.port }, owner)
  t.ok(first.fresh)
  await once(first.conn.socket, 'connect')
  pool.release(first.conn)
  t.equal(pool.idleCount(b.id), 1)
  const again = pool.acquire(b.id, { host: '127.0.0.1', port: b.port }, owner)
  t.notOk(again.fresh, 'the idle connection is reused')
  t.equal(again.conn, first.conn)
  t.ok(again.conn.reused)
  const second = pool.acquire(b.id, { host: '127.0.0.1', port: b.port }, owner)
  await once(second.conn.socket, 'connect')
  pool.release(again.conn)
  pool.release(second.conn)
  t.equal(pool.idleCount(b.id), 1, 'max idle per endpoint is enforced')
  const closed = once(first.conn.socket, 'close')
  pool.prune(new Set())
  await closed
  t.equal(pool.idleCount(), 0)
  const c: UpstreamConn = first.conn
  t.ok(c.closed)
})
