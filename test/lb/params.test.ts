import t from 'tap'
import { num, parseLbParams, validateParams, type ParamSpec } from '../../src/lb/params.js'

const specs: ParamSpec[] = [
  { name: 'choices', type: 'integer', min: 2, max: 8, default: 2, doc: 'endpoints drawn' },
  { name: 'ratio', type: 'number', min: 0, default: 0.5, doc: 'a share' },
  { name: 'mode', type: 'string', oneOf: ['fast', 'slow'], default: 'fast', doc: 'how' },
]

t.test('defaults fill what is absent; given values pass through', async (t) => {
  t.same(validateParams('algo', specs, {}), { choices: 2, ratio: 0.5, mode: 'fast' })
  const v = validateParams('algo', specs, { choices: 3, mode: 'slow' })
  t.equal(num(v, 'choices'), 3)
  t.equal(v.mode, 'slow')
})

t.test('each kind of mistake names the parameter, the rule and the value', async (t) => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ chioces: 3 }, 'params.chioces', /unknown parameter for algo \(known: choices, ratio, mode\)/],
    [{ choices: 2.5 }, 'params.choices', /must be an integer from 2 to 8 \(got 2.5\); endpoints drawn/],
    [{ choices: '3' }, 'params.choices', /must be an integer from 2 to 8 \(got "3"\)/],
    [{ choices: 9 }, 'params.choices', /from 2 to 8/],
    [{ ratio: -1 }, 'params.ratio', /must be a number ≥ 0/],
    [{ ratio: Number.NaN }, 'params.ratio', /must be a number/],
    [{ mode: 'medium' }, 'params.mode', /must be one of fast, slow \(got "medium"\)/],
    [{ mode: 1 }, 'params.mode', /must be one of fast, slow/],
  ]
  for (const [params, field, message] of cases) t.throws(() => validateParams('algo', specs, params), { field, message }, field)
})

t.test('the prefix places nested parameters; a non-object is refused', async (t) => {
  t.throws(() => validateParams('slowStart', specs, { x: 1 }, 'params.slowStart.'), { name: 'BalancerConfigError', field: 'params.slowStart.x' })
  t.throws(() => validateParams('slowStart', specs, 'fast' as never, 'params.slowStart.'), { field: 'params.slowStart', message: /must be an object/ })
  t.throws(() => validateParams('none', [], { a: 1 }), { message: /none takes no parameters/ })
})

t.test('annotation text parses as a JSON object; anything else is refused clearly', async (t) => {
  t.same(parseLbParams(undefined), {})
  t.same(parseLbParams('  '), {})
  t.same(parseLbParams('{"choices": 3, "outlierDetection": {"consecutiveFailures": 2}}'), { choices: 3, outlierDetection: { consecutiveFailures: 2 } })
  t.throws(() => parseLbParams('choices=3'), { name: 'BalancerConfigError', field: 'params', message: /must be a JSON object such as \{"choices": 3\}/ })
  t.throws(() => parseLbParams('[1]'), { name: 'BalancerConfigError', message: /got \[1\]/ })
  t.throws(() => parseLbParams('null'), { name: 'BalancerConfigError', message: /got null/ })
})
