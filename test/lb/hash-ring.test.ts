import t from 'tap'
import { EndpointSet } from '../../src/lb/endpoint-set.js'
import { buildRing, ringLookup } from '../../src/lb/hash-ring.js'

t.test('lookup takes the first point at or after the hash, wrapping past the last', async (t) => {
  const ring = { points: Uint32Array.from([10, 20, 30]), owners: Int32Array.from([0, 1, 2]) }
  t.equal(ringLookup(ring, 5), 0)
  t.equal(ringLookup(ring, 10), 0)
  t.equal(ringLookup(ring, 11), 1)
  t.equal(ringLookup(ring, 30), 2)
  t.equal(ringLookup(ring, 31), 0)
  t.equal(ringLookup(ring, 2 ** 32 - 1), 0)
})

t.test('a built ring is sorted, with the requested points per pickable endpoint, owned by position', async (t) => {
  const set = new EndpointSet()
  set.update([{ id: 'a' }, { id: 'b', weight: 2 }, { id: 'off', ready: false }, { id: 'c' }])
  const ring = buildRing(set, (w) => 100 * w)
  t.equal(ring.points.length, 400)
  t.ok(ring.points.every((p, i) => i === 0 || ring.points[i - 1]! <= p), 'points ascend')
  const per = [0, 0, 0, 0]
  for (const o of ring.owners) per[o]!++
  t.same(per, [100, 200, 0, 100])
  t.same(buildRing(set, (w) => 100 * w), ring, 'deterministic')
})
