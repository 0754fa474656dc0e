import t from 'tap'
import { Bitmap } from '../../../src/apiserver/allocators/bitmap.js'

t.test('set, clear, has and count', async (t) => {
  const b = new Bitmap(20)
  t.ok(b.set(3))
  t.notOk(b.set(3), 'setting twice reports false')
  t.ok(b.has(3))
  t.equal(b.count(), 1)
  t.ok(b.clear(3))
  t.notOk(b.clear(3))
  t.equal(b.count(), 0)
})

t.test('findClear scans from start, wraps to lo, and skips full bytes', async (t) => {
  const b = new Bitmap(64)
  for (let i = 0; i < 40; i++) b.set(i)
  t.equal(b.findClear(0, 0, 64), 40)
  t.equal(b.findClear(50, 0, 64), 50)
  for (let i = 40; i < 64; i++) b.set(i)
  t.equal(b.findClear(0, 0, 64), -1)
  b.clear(5)
  t.equal(b.findClear(30, 0, 64), 5, 'wraps around')
  t.equal(b.findClear(30, 10, 64), -1, 'stays inside [lo, hi)')
  t.equal(b.findClear(0, 3, 3), -1, 'empty interval')
  b.reset()
  t.equal(b.count(), 0)
  t.equal(b.findClear(7, 0, 64), 7)
})
