import t from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import { newApp } from '../harness.js'

t.test('one REST storage per resource', async (t) => {
  const { app } = await newApp(t)
  const reg = app.kplab.registry
  const all = RESOURCES.map((r) => reg.restFor(r))
  t.equal(new Set(all).size, RESOURCES.length)
  t.equal(reg.restFor({ ...RESOURCES[1]! }), all[1], 'found by kind and group too')
  t.throws(() => reg.restFor({ ...RESOURCES[0]!, kind: 'Widget', group: 'x' }), /not in RESOURCES/)
})
