import t from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import { decodeObject, parseFieldValidation } from '../../../src/apiserver/registry/decode.js'

const deploy = RESOURCES.find((x) => x.kind === 'Deployment')!

t.test('type checks', async (t) => {
  t.throws(() => decodeObject(deploy, 'x', { warnings: [] }), { code: 400 })
  t.throws(() => decodeObject(deploy, [], { warnings: [] }), { code: 400 })
  t.throws(() => decodeObject(deploy, { apiVersion: 'v1', kind: 'Deployment', metadata: {} }, { warnings: [] }), { code: 400, message: /API version in the data \(v1\)/ })
  t.throws(() => decodeObject(deploy, { apiVersion: 'apps/v1', kind: 'Pod', metadata: {} }, { warnings: [] }), { code: 400, message: /Pod in version "v1" cannot be handled as a Deployment/ })
  const o = decodeObject(deploy, { metadata: { name: 'x' } }, { warnings: [] })
  t.match(o, { apiVersion: 'apps/v1', kind: 'Deployment' })
})

t.test('the input is not modified', async (t) => {
  const input = Object.freeze({ metadata: Object.freeze({ name: 'x' }), spec: Object.freeze({ replicaz: 1 }) })
  const out = decodeObject(deploy, input, { warnings: [] })
  out.metadata.name = 'y'
  t.equal(input.metadata.name, 'x')
})

t.test('fieldValidation', async (t) => {
  t.equal(parseFieldValidation(undefined), undefined)
  t.equal(parseFieldValidation('Strict'), 'Strict')
  t.throws(() => parseFieldValidation('strict'), { code: 400 })
  const body = { metadata: { name: 'x' }, spec: { replicaz: 1 }, bogus: true }
  t.throws(() => decodeObject(deploy, body, { warnings: [], fieldValidation: 'Strict' }), {
    code: 400,
    message: /^Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "(bogus|spec\.replicaz)", unknown field "(bogus|spec\.replicaz)"$/,
  })
  const warnings: string[] = []
  const out = decodeObject(deploy, body, { warnings })
  t.same(warnings.sort(), ['unknown field "bogus"', 'unknown field "spec.replicaz"'])
  t.notOk('bogus' in out)
  const quiet: string[] = []
  decodeObject(deploy, body, { warnings: quiet, fieldValidation: 'Ignore' })
  t.same(quiet, [])
})
