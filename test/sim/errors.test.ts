import t from 'tap'
import { ScenarioError } from '../../src/sim/errors.js'

t.test('the message names the file and the field', async (t) => {
  const e = new ScenarioError('workload.arrivals.rate', 'must be a positive number', 'x.yaml')
  t.equal(e.message, 'x.yaml: workload.arrivals.rate: must be a positive number')
  t.equal(e.code, 'ESCENARIO')
  t.equal(e.field, 'workload.arrivals.rate')
  t.equal(e.detail, 'must be a positive number')
  t.equal(new ScenarioError('', 'not valid YAML').message, 'not valid YAML')
})
