import t from 'tap'
import { backendColumns } from '../../src/sim/backend-columns.js'
import { validateScenario } from '../../src/sim/scenario.js'

t.test('backendColumns: ids, weights, capacity and speed by backend index, built once per scenario', async (t) => {
  const s = validateScenario({
    backends: [{ name: 'a', weight: 2, capacity: 3 }, { name: 'b', speed: 0.5, capacity: 'infinite' }],
    workload: { arrivals: { type: 'poisson', rate: 1 }, requests: 10 },
    algorithms: [{ name: 'random' }],
  })
  const c = backendColumns(s)
  t.same(c.ids.list, ['a', 'b'])
  t.same([...c.weights], [2, 1])
  t.same([...c.capacity], [3, Infinity])
  t.same([...c.speed], [1, 0.5])
  t.equal(backendColumns(s), c, 'cached: every run hands the balancer the same EndpointIds')
})
