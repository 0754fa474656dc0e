import t from 'tap'
import { EndpointSet, validateEndpoints } from '../../src/lb/endpoint-set.js'

t.test('pickable holds ready endpoints with weight > 0, indexed densely, in list order', async (t) => {
  const set = new EndpointSet()
  t.equal(set.update([{ id: 'a', weight: 2 }, { id: 'b', ready: false }, { id: 'c', weight: 0 }, { id: 'd' }]), true)
  t.same(
    set.pickable.map((s) => [s.id, s.index]),
    [
      ['a', 0],
      ['d', 1],
    ],
  )
  t.same(
    set.all.map((s) => [s.id, s.index, s.order]),
    [
      ['a', 0, 0],
      ['b', -1, 1],
      ['c', -1, 2],
      ['d', 1, 3],
    ],
  )
  t.equal(set.totalWeight, 3)
  t.equal(set.uniform, false)
})

t.test('state follows the id across updates; a removed endpoint is marked', async (t) => {
  const set = new EndpointSet()
  set.update([{ id: 'a' }, { id: 'b' }])
  const a = set.get('a')!
  const b = set.get('b')!
  a.active = 4
  set.update([{ id: 'c' }, { id: 'a' }])
  t.equal(set.get('a'), a, 'same state object')
  t.equal(a.active, 4)
  t.equal(a.index, 1)
  t.equal(b.removed, true)
  t.equal(set.get('b'), undefined)
  t.equal(set.uniform, true)
})

t.test('update reports whether the pickable set or a weight changed', async (t) => {
  const set = new EndpointSet()
  set.update([{ id: 'a' }, { id: 'b' }])
  t.equal(set.update([{ id: 'a' }, { id: 'b' }]), false, 'same list')
  t.equal(set.update([{ id: 'a' }, { id: 'b', weight: 1 }]), false, 'explicit default weight')
  t.equal(set.update([{ id: 'a' }, { id: 'b', weight: 2 }]), true, 'weight')
  t.equal(set.update([{ id: 'a' }, { id: 'b', weight: 2, ready: false }]), true, 'readiness')
  t.equal(set.update([{ id: 'a' }, { id: 'b', weight: 2, ready: false }, { id: 'c', ready: false }]), false, 'a not-ready addition')
  t.equal(set.update([{ id: 'b', weight: 2 }, { id: 'a' }]), true, 'order')
})

t.test('validation names the entry and field at fault', async (t) => {
  t.throws(() => validateEndpoints([{ id: '' }]), { field: 'endpoints[0].id', message: /non-empty string/ })
  t.throws(() => validateEndpoints([{ id: 'a' }, { id: 'a' }]), { field: 'endpoints[1].id', message: /duplicate id "a"/ })
  t.throws(() => validateEndpoints([{ id: 'a', weight: -1 }]), { field: 'endpoints[0].weight', message: /finite number ≥ 0 \(got -1\)/ })
  t.throws(() => validateEndpoints([{ id: 'a', weight: Infinity }]), { name: 'BalancerConfigError', field: 'endpoints[0].weight' })
  t.throws(() => validateEndpoints([{ id: 'a', ready: 'yes' as never }]), { name: 'BalancerConfigError', field: 'endpoints[0].ready' })
  t.throws(() => validateEndpoints('a' as never), { name: 'BalancerConfigError', field: 'endpoints' })
  const set = new EndpointSet()
  set.update([{ id: 'a' }])
  t.throws(() => set.update([{ id: 'a', weight: -2 }]))
  t.same(
    set.all.map((s) => s.weight),
    [1],
    'a rejected update changes nothing',
  )
})
