import t from 'tap'
import { NodePortAllocator, parsePortRange } from '../../../src/apiserver/allocators/port-allocator.js'

t.test('parsePortRange accepts upstream forms', async (t) => {
  t.same(parsePortRange('30000-32767'), { base: 30000, size: 2768 })
  t.same(parsePortRange('30000+10'), { base: 30000, size: 11 })
  t.same(parsePortRange('8080'), { base: 8080, size: 1 })
  t.throws(() => parsePortRange('abc'), /want "min-max"/)
  t.throws(() => parsePortRange('200-100'), /min <= max/)
  t.throws(() => parsePortRange('0-10'), /1 <= min/)
})

t.test('allocate hands out ports in order from a rotating offset', async (t) => {
  const a = new NodePortAllocator('30000-32767')
  t.equal(a.free(), 2768)
  t.equal(a.allocate(), 30000)
  t.equal(a.allocate(), 30001)
  a.release(30000)
  t.equal(a.allocate(), 30002)
  t.equal(a.free(), 2766)
})

t.test('allocateSpecific errors carry upstream wording and kind', async (t) => {
  const a = new NodePortAllocator('30000-32767')
  a.allocateSpecific(30080)
  t.ok(a.has(30080))
  t.throws(() => a.allocateSpecific(30080), { name: 'AllocationError', kind: 'Allocated', message: 'provided port is already allocated' })
  t.throws(() => a.allocateSpecific(80), {
    name: 'AllocationError',
    kind: 'OutOfRange',
    message: 'provided port is not in the valid range. The range of valid ports is 30000-32767',
  })
  t.throws(() => a.allocateSpecific(30000.5), { name: 'AllocationError', kind: 'OutOfRange' })
  t.notOk(a.has(80))
})

t.test('a full range throws Full, and wraps to released ports', async (t) => {
  const a = new NodePortAllocator('30000-30002')
  t.same([a.allocate(), a.allocate(), a.allocate()], [30000, 30001, 30002])
  t.throws(() => a.allocate(), { name: 'AllocationError', kind: 'Full' })
  a.release(30001)
  t.equal(a.allocate(), 30001)
})

t.test('rebuild marks stored NodePorts and reports the odd ones', async (t) => {
  const a = new NodePortAllocator('30000-32767')
  a.allocate()
  t.same(a.rebuild([30080, 30080, 8080]), { outOfRange: [8080], duplicate: [30080] })
  t.ok(a.has(30080))
  t.notOk(a.has(30000))
  t.equal(a.free(), 2767)
})
