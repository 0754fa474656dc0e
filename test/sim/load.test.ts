import t from 'tap'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadScenario, parseScenario } from '../../src/sim/load.js'

const SHIPPED = ['uniform', 'slow-backend', 'heterogeneous', 'keepalive-l4-vs-l7', 'backend-failure', 'balls-into-bins', 'supermarket']

t.test('every shipped scenario loads and validates', async (t) => {
  const dir = join(import.meta.dirname, '../../lab/experiments')
  // live-*.yaml are live experiments for a running lab (kplab experiment run), tested in test/lab.
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.startsWith('live-')).map((f) => f.replace(/\.yaml$/, ''))
  for (const name of SHIPPED) t.ok(files.includes(name), `${name}.yaml is shipped`)
  for (const f of files) {
    const s = loadScenario(join(dir, `${f}.yaml`))
    t.equal(s.name, f, `${f} names itself`)
    t.ok(s.algorithms.length > 0)
  }
})

t.test('a trace is read relative to the scenario file', async (t) => {
  const dir = t.testdir({ 'arrivals.trace': '0\n1\n2\n', 'trace.yaml': 'backends: 2\nworkload:\n  arrivals: {type: trace, file: arrivals.trace}\nalgorithms: [{name: random}]\n' })
  const s = loadScenario(join(dir, 'trace.yaml'))
  t.equal(s.name, 'trace')
  t.equal(s.workload.requests, 3)
})

t.test('errors name the file and the field', async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'backends: 2\nworkload:\n  arrivals: {type: poisson, rate: -1}\n  requests: 10\nalgorithms: [{name: random}]\n' })
  const file = join(dir, 'bad.yaml')
  t.throws(() => loadScenario(file), { message: `${file}: workload.arrivals.rate: must be a positive number (got -1)`, field: 'workload.arrivals.rate' })
  t.throws(() => loadScenario(join(dir, 'none.yaml')), /none\.yaml: cannot read the scenario file/)
  writeFileSync(join(dir, 'broken.yaml'), 'backends: [\n')
  t.throws(() => loadScenario(join(dir, 'broken.yaml')), /broken\.yaml: not valid YAML/)
  t.throws(() => parseScenario('- just a list\n'), /must be a mapping/)
})
