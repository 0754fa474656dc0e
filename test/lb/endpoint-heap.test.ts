import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { EndpointHeap } from '../../src/lb/endpoint-heap.js'

t.test('the top stays the least after random key changes (checked by a linear scan)', async (t) => {
  const rng = seededRng('heap')
  const n = 50
  const active = new Int32Array(n)
  const heapPos = new Int32Array(n)
  const less = (a: number, b: number): boolean => active[a]! < active[b]! || (active[a] === active[b] && a < b)
  const heap = new EndpointHeap(less)
  heap.reset(
    Array.from({ length: n }, (_, i) => i),
    heapPos,
  )
  t.equal(heap.size, n)
  let agree = 0
  for (let step = 0; step < 2000; step++) {
    const p = Math.floor(rng() * n)
    active[p] = Math.max(0, active[p]! + (rng() < 0.5 ? -1 : 1) * Math.ceil(rng() * 3))
    heap.fix(p)
    let min = 0
    for (let i = 1; i < n; i++) if (less(i, min)) min = i
    if (heap.top() === min) agree++
  }
  t.equal(agree, 2000)
})

t.test('reset replaces the contents; positions outside are ignored by fix', async (t) => {
  const active = new Int32Array(4)
  const heapPos = new Int32Array(4)
  const heap = new EndpointHeap((a, b) => active[a]! < active[b]! || (active[a] === active[b] && a < b))
  heap.reset([0, 1, 2, 3], heapPos)
  heap.reset([2, 3], heapPos)
  t.equal(heapPos[0], -1)
  t.equal(heapPos[2]! >= 0, true)
  active[0] = -5
  heap.fix(0)
  heap.fix(99)
  t.equal(heap.top(), 2)
  heap.reset([], heapPos)
  t.equal(heap.top(), -1)
})
