import t from 'tap'
import { ScenarioError } from '../../src/sim/errors.js'
import { parseTrace, validateScenario } from '../../src/sim/scenario.js'

const base = () => ({
  backends: 3,
  workload: { arrivals: { type: 'poisson', rate: 0.5 }, service: { distribution: 'exponential', mean: 1 }, requests: 100 },
  algorithms: [{ name: 'random' }],
})

t.test('the issue\'s example form validates, with defaults filled in', async (t) => {
  const s = validateScenario({ ...base(), algorithms: [{ name: 'random' }, { name: 'power-of-two-choices', params: { choices: 2 } }, { name: 'iptables' }] }, { name: 'x' })
  t.equal(s.name, 'x')
  t.equal(s.timeUnit, 'ms')
  t.equal(s.unitMs, 1)
  t.same(s.backends.map((b) => [b.name, b.weight, b.speed, b.capacity]), [['b0', 1, 1, 1], ['b1', 1, 1, 1], ['b2', 1, 1, 1]])
  t.equal(s.workload.requestsPerConnection, 1)
  t.equal(s.workload.warmup, 0)
  t.equal(s.workload.clients.length, 1000)
  t.equal(s.workload.clients[258], '10.0.1.2')
  t.same(s.algorithms.map((a) => [a.name, a.unit, a.label]), [
    ['random', 'request', 'random'],
    ['power-of-two-choices', 'request', 'power-of-two-choices {"choices":2}'],
    ['iptables', 'connection', 'iptables'],
  ])
})

t.test('aliases resolve to the registry\'s canonical names; units and labels', async (t) => {
  const s = validateScenario({ ...base(), algorithms: [{ name: 'p2c' }, { name: 'p2c', unit: 'connection' }, { name: 'rr', label: 'plain rr' }] })
  t.same(s.algorithms.map((a) => a.label), ['power-of-two-choices', 'power-of-two-choices per connection', 'plain rr'])
})

t.test('a backend list with weights, speeds, capacities and events', async (t) => {
  const s = validateScenario({
    ...base(),
    backends: [
      { name: 'slow', weight: 1, speed: 0.25, capacity: 8, events: [{ at: 30, type: 'slow', speed: 0.1 }, { at: 10, type: 'down' }, { at: 20, type: 'up' }] },
      { name: 'big', capacity: 'infinite' },
    ],
  })
  t.same(s.backends[0]!.events.map((e) => e.type), ['down', 'up', 'slow'], 'events sorted by time')
  t.equal(s.backends[1]!.capacity, Infinity)
})

t.test('closed and trace arrivals', async (t) => {
  const closed = validateScenario({ ...base(), workload: { arrivals: { type: 'closed', clients: 4, think: { distribution: 'fixed', value: 2 } }, requests: 10 } })
  t.same(closed.workload.arrivals, { type: 'closed', clients: 4, think: { distribution: 'fixed', value: 2 } })
  const trace = validateScenario(
    { ...base(), workload: { arrivals: { type: 'trace', file: 'a.trace' } } },
    { readFile: (p) => (p === 'a.trace' ? '# t client\n0 1\n0.5\n2,3\n' : '') },
  )
  t.equal(trace.workload.requests, 3, 'requests default to the trace length')
  if (trace.workload.arrivals.type !== 'trace') throw new Error('not a trace')
  t.same([...trace.workload.arrivals.times], [0, 0.5, 2])
  t.same([...trace.workload.arrivals.clients], [1, -1, 3])
})

const bad: [string, (d: ReturnType<typeof base>) => unknown, RegExp][] = [
  ['rate 0', (d) => ({ ...d, workload: { ...d.workload, arrivals: { type: 'poisson', rate: 0 } } }), /^workload\.arrivals\.rate: must be a positive number/],
  ['rate as text', (d) => ({ ...d, workload: { ...d.workload, arrivals: { type: 'poisson', rate: 'fast' } } }), /^workload\.arrivals\.rate: must be a positive number \(got "fast"\)/],
  ['arrival type', (d) => ({ ...d, workload: { ...d.workload, arrivals: { type: 'bursty' } } }), /^workload\.arrivals\.type: must be poisson, closed or trace/],
  ['distribution', (d) => ({ ...d, workload: { ...d.workload, service: { distribution: 'normal' } } }), /^workload\.service\.distribution: must be one of exponential, lognormal, fixed, pareto, infinite/],
  ['pareto alpha', (d) => ({ ...d, workload: { ...d.workload, service: { distribution: 'pareto', alpha: 1 } } }), /^workload\.service\.alpha: must be > 1/],
  ['requests', (d) => ({ ...d, workload: { ...d.workload, requests: 1.5 } }), /^workload\.requests: must be an integer ≥ 1/],
  ['warmup', (d) => ({ ...d, workload: { ...d.workload, warmup: 100 } }), /^workload\.warmup: must be below workload\.requests/],
  ['unknown field', (d) => ({ ...d, workload: { ...d.workload, rps: 3 } }), /^workload\.rps: unknown field/],
  ['backends', (d) => ({ ...d, backends: 0 }), /^backends: must be an integer ≥ 1/],
  ['backends missing', (d) => ({ ...d, backends: undefined }), /^backends: is required/],
  ['backend speed', (d) => ({ ...d, backends: [{ name: 'a', speed: -1 }] }), /^backends\[0\]\.speed: must be a positive number/],
  ['duplicate backend', (d) => ({ ...d, backends: [{ name: 'a' }, { name: 'a' }] }), /^backends\[1\]\.name: duplicate backend name "a"/],
  ['event type', (d) => ({ ...d, backends: [{ name: 'a', events: [{ at: 1, type: 'crash' }] }] }), /^backends\[0\]\.events\[0\]\.type: must be down, up or slow/],
  ['slow without speed', (d) => ({ ...d, backends: [{ name: 'a', events: [{ at: 1, type: 'slow' }] }] }), /^backends\[0\]\.events\[0\]\.speed: is required/],
  ['unknown algorithm', (d) => ({ ...d, algorithms: [{ name: 'fastest' }] }), /^algorithms\[0\]\.name: unknown algorithm "fastest" \(known: iptables, round-robin/],
  ['bad lb param', (d) => ({ ...d, algorithms: [{ name: 'p2c', params: { choices: 1 } }] }), /^algorithms\[0\]\.params\.choices: /],
  ['iptables params', (d) => ({ ...d, algorithms: [{ name: 'iptables', params: { x: 1 } }] }), /^algorithms\[0\]\.params: iptables takes no parameters/],
  ['unit', (d) => ({ ...d, algorithms: [{ name: 'random', unit: 'packet' }] }), /^algorithms\[0\]\.unit: must be connection/],
  ['same label twice', (d) => ({ ...d, algorithms: [{ name: 'random' }, { name: 'random' }] }), /^algorithms\[1\]\.label: "random" appears twice/],
  ['no algorithms', (d) => ({ ...d, algorithms: [] }), /^algorithms: must be a non-empty list/],
  ['time unit', (d) => ({ ...d, timeUnit: 'hours' }), /^timeUnit: must be one of us, ms, s, min/],
  ['client address', (d) => ({ ...d, workload: { ...d.workload, clients: ['10.0.0.1', 'me'] } }), /^workload\.clients\[1\]: must be an IP address/],
  ['top-level unknown', (d) => ({ ...d, backend: 3 }), /^backend: unknown field/],
]

for (const [what, make, re] of bad) {
  t.test(`invalid: ${what}`, async (t) => {
    let err: unknown
    try {
      validateScenario(make(base()))
    } catch (e) {
      err = e
    }
    t.ok(err instanceof ScenarioError, 'a ScenarioError')
    t.match((err as Error).message, re)
  })
}

t.test('a trace file with bad lines names the line', async (t) => {
  t.throws(() => parseTrace('1\n0.5\n', 'f'), /f: line 2: times must not decrease/)
  t.throws(() => parseTrace('x\n', 'f'), /line 1: "x" is not a time/)
  t.throws(() => parseTrace('# nothing\n', 'f'), /no arrivals/)
  t.throws(
    () => validateScenario({ ...base(), workload: { arrivals: { type: 'trace', file: 'missing' } } }, { readFile: () => { throw new Error('ENOENT') } }),
    /workload\.arrivals\.file: cannot read "missing"/,
  )
})
