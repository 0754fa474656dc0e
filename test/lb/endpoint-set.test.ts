import t from 'tap'
import { EndpointIds, EndpointSet, isColumns, toSpecs, validateColumns, validateEndpoints } from '../../src/lb/endpoint-set.js'

t.test('pickable holds the positions of ready endpoints with weight > 0, in list order', async (t) => {
  const set = new EndpointSet()
  t.equal(set.update([{ id: 'a', weight: 2 }, { id: 'b', ready: false }, { id: 'c', weight: 0 }, { id: 'd' }]), true)
  t.same([...set.pickable], [0, 3])
  t.same([...set.slot], [0, -1, -1, 1])
  t.same(set.ids.list, ['a', 'b', 'c', 'd'])
  t.equal(set.size, 4)
  t.equal(set.totalWeight, 3)
  t.equal(set.uniform, false)
  t.equal(set.dense, false)
  set.update([{ id: 'a' }, { id: 'd' }])
  t.equal(set.dense, true, 'all pickable: pickable[i] is i')
})

t.test('state follows the id across updates; a removed id is no longer found', async (t) => {
  const set = new EndpointSet(['ewma'])
  set.update([{ id: 'a' }, { id: 'b' }])
  set.active[set.indexOf('a')] = 4
  set.ewma[set.indexOf('a')] = 12
  set.update([{ id: 'c' }, { id: 'a' }])
  t.equal(set.indexOf('a'), 1)
  t.equal(set.active[1], 4, 'active moved with a')
  t.equal(set.ewma[1], 12, 'an algorithm column moved with a')
  t.equal(set.active[0], 0, 'c starts fresh')
  t.ok(Number.isNaN(set.ewma[0]!), 'no estimate for c yet')
  t.equal(set.indexOf('b'), -1)
  t.equal(set.uniform, true)
})

t.test('columns an algorithm did not ask for stay empty', async (t) => {
  const set = new EndpointSet()
  set.update([{ id: 'a' }, { id: 'b' }])
  t.equal(set.current.length, 0)
  t.equal(set.heapPos.length, 0)
  t.equal(set.ewma.length, 0)
  t.equal(set.active.length, 2)
})

t.test('update reports whether the pickable set, a weight or a position changed', async (t) => {
  const set = new EndpointSet()
  set.update([{ id: 'a' }, { id: 'b' }])
  t.equal(set.update([{ id: 'a' }, { id: 'b' }]), false, 'same list')
  t.equal(set.update([{ id: 'a' }, { id: 'b', weight: 1 }]), false, 'explicit default weight')
  t.equal(set.update([{ id: 'a' }, { id: 'b', weight: 2 }]), true, 'weight')
  t.equal(set.update([{ id: 'a' }, { id: 'b', weight: 2, ready: false }]), true, 'readiness')
  // Positions address the state now, so any change of the id list makes algorithms rebuild.
  t.equal(set.update([{ id: 'a' }, { id: 'b', weight: 2, ready: false }, { id: 'c', ready: false }]), true, 'a not-ready addition')
  t.equal(set.update([{ id: 'a' }, { id: 'b', weight: 2, ready: false }, { id: 'c', ready: false }]), false, 'the same again')
  t.equal(set.update([{ id: 'b', weight: 2 }, { id: 'a' }]), true, 'order')
})

t.test('columns: the same EndpointIds object keeps positions; readiness and weights by position', async (t) => {
  const ids = new EndpointIds(['x', 'y', 'z'])
  const set = new EndpointSet()
  t.equal(set.update({ ids }), true)
  t.same([...set.pickable], [0, 1, 2])
  set.active[1] = 3
  t.equal(set.update({ ids, ready: Uint8Array.of(1, 0, 1) }), true, 'y left the pickable set')
  t.same([...set.pickable], [0, 2])
  t.equal(set.active[1], 3, 'state kept')
  t.equal(set.update({ ids, ready: Uint8Array.of(1, 0, 1) }), false, 'nothing changed')
  t.equal(set.update({ ids, weights: Float64Array.of(1, 1, 3) }), true)
  t.equal(set.totalWeight, 5)
  t.equal(set.uniform, false)
  // Specs with the same ids in the same order address the same positions.
  t.equal(set.update([{ id: 'x' }, { id: 'y' }, { id: 'z', weight: 3 }]), false)
  t.equal(set.active[1], 3)
})

t.test('EndpointIds validates unless told the caller did, and finds positions', async (t) => {
  t.throws(() => new EndpointIds(['a', 'a']), { name: 'BalancerConfigError', field: 'endpoints.ids[1]', message: /duplicate id "a"/ })
  t.throws(() => new EndpointIds(['a', '']), { field: 'endpoints.ids[1]', message: /non-empty string/ })
  const ids = new EndpointIds(['p', 'q'], true)
  t.equal(ids.indexOf('q'), 1)
  t.equal(ids.indexOf('r'), -1)
  t.equal(ids.length, 2)
})

t.test('validation names the entry and field at fault', async (t) => {
  t.throws(() => validateEndpoints([{ id: '' }]), { field: 'endpoints[0].id', message: /non-empty string/ })
  t.throws(() => validateEndpoints([{ id: 'a' }, { id: 'a' }]), { field: 'endpoints[1].id', message: /duplicate id "a"/ })
  t.throws(() => validateEndpoints([{ id: 'a', weight: -1 }]), { field: 'endpoints[0].weight', message: /finite number ≥ 0 \(got -1\)/ })
  t.throws(() => validateEndpoints([{ id: 'a', weight: Infinity }]), { name: 'BalancerConfigError', field: 'endpoints[0].weight' })
  t.throws(() => validateEndpoints([{ id: 'a', ready: 'yes' as never }]), { name: 'BalancerConfigError', field: 'endpoints[0].ready' })
  t.throws(() => validateEndpoints('a' as never), { name: 'BalancerConfigError', field: 'endpoints' })
  const ids = new EndpointIds(['a', 'b'])
  t.throws(() => validateColumns({ ids, weights: [1] }), { field: 'endpoints.weights', message: /one weight per id \(2, got 1\)/ })
  t.throws(() => validateColumns({ ids, weights: [1, Number.NaN] }), { name: 'BalancerConfigError', field: 'endpoints.weights[1]' })
  t.throws(() => validateColumns({ ids, ready: [1] }), { name: 'BalancerConfigError', field: 'endpoints.ready' })
  const set = new EndpointSet()
  set.update([{ id: 'a' }])
  t.throws(() => set.update([{ id: 'a', weight: -2 }]))
  t.throws(() => set.update({ ids, weights: [1, -1] }))
  t.same([...set.weight], [1], 'a rejected update changes nothing')
  t.same(set.ids.list, ['a'])
})

t.test('toSpecs and isColumns convert between the two list forms', async (t) => {
  const ids = new EndpointIds(['a', 'b'])
  const cols = { ids, weights: [2, 1], ready: [1, 0] }
  t.ok(isColumns(cols))
  t.notOk(isColumns([{ id: 'a' }]))
  t.same(toSpecs(cols), [
    { id: 'a', weight: 2, ready: true },
    { id: 'b', weight: 1, ready: false },
  ])
  const specs = [{ id: 'z' }]
  t.equal(toSpecs(specs), specs, 'specs pass through')
})
