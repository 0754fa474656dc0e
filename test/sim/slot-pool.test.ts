import t from 'tap'
import { ConnectionPool, RequestPool } from '../../src/sim/slot-pool.js'

t.test('freed slots are reused, so capacity follows the peak in use', async (t) => {
  const p = new RequestPool(4)
  const held: number[] = []
  for (let i = 0; i < 10; i++) held.push(p.alloc())
  t.same(held, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  t.equal(p.capacity, 16)
  p.arrive[9] = 1.5
  for (const i of held) p.free(i)
  for (let round = 0; round < 1000; round++) {
    const a = p.alloc()
    const b = p.alloc()
    p.free(a)
    p.free(b)
  }
  t.equal(p.capacity, 16, 'no growth after the peak')
  t.equal(p.highWater, 10)
  t.equal(p.state[3], 0, 'a freed slot is marked free')
})

t.test('grown arrays keep their contents', async (t) => {
  const p = new ConnectionPool(2)
  const a = p.alloc()
  p.client[a] = 7
  p.alloc()
  p.alloc()
  t.equal(p.capacity, 4)
  t.equal(p.client[a], 7)
  p.free(a)
  t.equal(p.alloc(), a)
})
