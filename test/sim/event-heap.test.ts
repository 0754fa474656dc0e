import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { EventHeap } from '../../src/sim/event-heap.js'

t.test('pops events in time order, growing past its initial capacity', async (t) => {
  const rng = seededRng('heap')
  const heap = new EventHeap(2)
  const items: { time: number; payload: number }[] = []
  for (let i = 0; i < 5000; i++) {
    const time = Math.floor(rng() * 1000) / 10
    items.push({ time, payload: i })
    heap.push(time, i)
  }
  t.equal(heap.size, 5000)
  const popped: number[] = []
  let last = -Infinity
  let ordered = true
  while (heap.size > 0) {
    const time = heap.peekTime()
    if (time < last) ordered = false
    last = time
    popped.push(heap.pop())
  }
  t.ok(ordered, 'times never decrease')
  t.same([...popped].sort((a, b) => a - b), items.map((x) => x.payload), 'every payload comes out once')
  const byTime = [...items].sort((a, b) => a.time - b.time).map((x) => x.time)
  t.same(popped.map((p) => items[p]!.time), byTime)
})

t.test('interleaved push and pop, and an empty heap', async (t) => {
  const heap = new EventHeap()
  t.equal(heap.pop(), -1)
  t.equal(heap.peekTime(), Infinity)
  t.equal(heap.peekPayload(), -1)
  heap.push(5, 50)
  heap.push(1, 10)
  heap.push(3, 30)
  t.equal(heap.peekPayload(), 10)
  t.equal(heap.pop(), 10)
  heap.push(2, 20)
  t.same([heap.pop(), heap.pop(), heap.pop()], [20, 30, 50])
  heap.push(1, 1)
  heap.clear()
  t.equal(heap.size, 0)
})
