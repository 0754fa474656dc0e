// A consistent-hash ring (Karger et al.; ketama): each endpoint owns points on a 32-bit circle and a
// key goes to the first point at or after its hash. Removing one of N endpoints moves only the keys
// that endpoint owned (≈ 1/N); every other key keeps its endpoint.
import type { EndpointSet } from './endpoint-set.js'
import { hashString } from './hash.js'

/** A built ring: point hashes in ascending order and the position of the endpoint owning each. */
export interface HashRing {
  points: Uint32Array
  owners: Int32Array
}

/** Points per endpoint are capped so that one huge weight cannot exhaust memory. */
export const MAX_RING_POINTS_PER_ENDPOINT = 1_000_000

/**
 * Builds a ring over the pickable endpoints, giving each `pointsFor(weight)` points (at least 1, at most
 * MAX_RING_POINTS_PER_ENDPOINT), placed by hashing `id-i`: the id, not the position, so a ring is
 * the same in every process and an endpoint's points do not move when others come or go.
 */
export function buildRing(endpoints: EndpointSet, pointsFor: (weight: number) => number): HashRing {
  const pairs: [number, number][] = []
  for (const p of endpoints.pickable) {
    const id = endpoints.ids.list[p]!
    const count = Math.min(MAX_RING_POINTS_PER_ENDPOINT, Math.max(1, Math.round(pointsFor(endpoints.weight[p]!))))
    for (let i = 0; i < count; i++) pairs.push([hashString(`${id}-${i}`), p])
  }
  // Equal hashes (rare) order by owner so the ring does not depend on insertion order.
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const points = new Uint32Array(pairs.length)
  const owners = new Int32Array(pairs.length)
  pairs.forEach(([h, o], i) => {
    points[i] = h
    owners[i] = o
  })
  return { points, owners }
}

/** The position owning `hash`: the first point ≥ hash, wrapping to the start (binary search, O(log points)). */
export function ringLookup(ring: HashRing, hash: number): number {
  const pts = ring.points
  let lo = 0
  let hi = pts.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (pts[mid]! < hash) lo = mid + 1
    else hi = mid
  }
  return ring.owners[lo === pts.length ? 0 : lo]!
}
