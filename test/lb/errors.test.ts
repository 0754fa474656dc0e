import t from 'tap'
import { KplabError } from '../../src/base/errors.js'
import { BalancerConfigError } from '../../src/lb/errors.js'

t.test('the message starts with the field, and the error is a coded KplabError', async (t) => {
  const err = new BalancerConfigError('params.choices', 'must be an integer ≥ 2 (got 1)')
  t.type(err, KplabError)
  t.equal(err.code, 'ELBCONFIG')
  t.equal(err.field, 'params.choices')
  t.equal(err.message, 'params.choices: must be an integer ≥ 2 (got 1)')
  t.equal(err.name, 'BalancerConfigError')
})
