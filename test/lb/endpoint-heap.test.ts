import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { EndpointHeap } from '../../src/lb/endpoint-heap.js'
import { EndpointState } from '../../src/lb/endpoint-set.js'

function states(n: number): EndpointState[] {
  return Array.from({ length: n }, (_, i) => {
    const s = new EndpointState(`e${i}`)
    s.index = i
    return s
  })
}

const byActive = (a: EndpointState, b: EndpointState): boolean => a.active < b.active || (a.active === b.active && a.index < b.index)

t.test('the top stays the least after random key changes (checked by a linear scan)', async (t) => {
  const rng = seededRng('heap')
  const all = states(50)
  const heap = new EndpointHeap(byActive)
  heap.reset(all)
  t.equal(heap.size, 50)
  let agree = 0
  for (let step = 0; step < 2000; step++) {
    const s = all[Math.floor(rng() * all.length)]!
    s.active = Math.max(0, s.active + (rng() < 0.5 ? -1 : 1) * Math.ceil(rng() * 3))
    heap.fix(s)
    const min = all.reduce((m, x) => (byActive(x, m) ? x : m))
    if (heap.top() === min) agree++
  }
  t.equal(agree, 2000)
})

t.test('reset replaces the contents; endpoints outside are ignored by fix', async (t) => {
  const all = states(4)
  const heap = new EndpointHeap(byActive)
  heap.reset(all)
  heap.reset(all.slice(2))
  t.equal(all[0]!.heapPos, -1)
  all[0]!.active = -5
  heap.fix(all[0]!)
  t.equal(heap.top(), all[2])
  heap.reset([])
  t.equal(heap.top(), undefined)
})
