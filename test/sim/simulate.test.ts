import t from 'tap'
import { parseScenario } from '../../src/sim/load.js'
import { simulate, summaryJson } from '../../src/sim/simulate.js'

const text = `
backends:
  - {name: a, events: [{at: 50, type: down}, {at: 80, type: up}]}
  - {name: b, speed: 0.5}
  - {name: c, capacity: 2}
endpointUpdateDelay: 2
workload:
  arrivals: {type: poisson, rate: 0.6}
  service: {distribution: pareto, mean: 1, alpha: 2.5}
  requests: 3000
  requestsPerConnection: 3
  clients: 40
algorithms:
  - {name: iptables}
  - {name: least-time}
  - {name: maglev}
  - {name: p2c, params: {sessionAffinity: {timeoutSeconds: 1}, outlierDetection: {}}}
`

t.test('same seed, same JSON, byte for byte; another seed differs', async (t) => {
  const s = parseScenario(text, { name: 'repro' })
  const a = JSON.stringify(simulate(s, 7))
  const b = JSON.stringify(simulate(parseScenario(text, { name: 'repro' }), 7))
  t.equal(a, b)
  t.not(JSON.stringify(simulate(s, 8)), a)
})

t.test('the report holds every algorithm in order, and --json keeps name, params and metrics', async (t) => {
  const r = simulate(parseScenario(text, { name: 'repro' }), 1)
  t.equal(r.source, 'simulated')
  t.equal(r.title, 'repro')
  t.same(r.backends, ['a', 'b', 'c'])
  t.same(r.algorithms.map((a) => a.name), ['iptables', 'least-time', 'maglev', 'power-of-two-choices'])
  const j = summaryJson(r)
  t.equal(j.seed, 1)
  t.same(Object.keys(j.algorithms[0]!), ['name', 'label', 'params', 'metrics'])
  t.same(Object.keys(j.algorithms[0]!.metrics), ['maxLoad', 'meanLoad', 'meanResponseTime', 'p50', 'p99', 'p999', 'jain', 'share', 'remapped', 'failed'])
  for (const a of r.algorithms) {
    const total = Object.values(a.metrics.share).reduce((x, y) => x + y, 0)
    t.ok(Math.abs(total - 1) < 1e-9, `${a.label}: shares sum to 1`)
  }
})

t.test('progress is reported per algorithm', async (t) => {
  const seen: number[] = []
  simulate(parseScenario(text), 1, { onProgress: (i) => seen.push(i) })
  t.same(seen, [0, 1, 2, 3])
})
