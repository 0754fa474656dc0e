import t from 'tap'
import { applyDefaults } from '../../../src/api/defaults.js'
import { invalid } from '../../../src/api/errors.js'
import { RESOURCES } from '../../../src/api/registry.js'
import { validate } from '../../../src/api/validation/index.js'
import { VALID, lines, res, service } from '../fixtures.js'

t.test('every served kind validates its valid, defaulted manifest', async (t) => {
  for (const r of RESOURCES) {
    const make = VALID[r.kind]
    t.ok(make, `fixture for ${r.kind}`)
    if (!make) continue
    const o = make()
    applyDefaults(r, o)
    t.same(lines(validate(r, o)), [], r.kind)
    t.same(lines(validate(r, o, structuredClone(o))), [], `${r.kind} unchanged update`)
  }
})

t.test('causes turn into upstream Status messages', async (t) => {
  const s = service() as any
  applyDefaults(res('Service'), s)
  s.spec.ports[0].port = 0
  const err = invalid(res('Service'), 'web', validate(res('Service'), s))
  t.equal(err.code, 422)
  t.equal(err.message, 'Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive')
  t.same(err.details?.causes?.[0], { reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be between 1 and 65535, inclusive', field: 'spec.ports[0].port' })
})

t.test('kinds without their own rules still get ObjectMeta checks', async (t) => {
  t.same(validate({ kind: 'Widget', namespaced: true }, { metadata: { name: 'w', namespace: 'default' } }), [])
  t.same(lines(validate({ kind: 'Widget', namespaced: true }, { metadata: { name: 'W' } })).length, 2)
  t.same(lines(validate({ kind: 'Widget', namespaced: false }, { metadata: { name: 'b' } }, { metadata: { name: 'a' } })), [
    'metadata.name: Invalid value: "b": field is immutable',
  ])
})
