import t from 'tap'
import { AllocationError } from '../../../src/apiserver/allocators/errors.js'

t.test('toCause gives a 422 cause on the field with upstream wording', async (t) => {
  const e = new AllocationError('Allocated', 'provided IP is already allocated')
  t.equal(e.kind, 'Allocated')
  t.ok(e instanceof Error)
  t.same(e.toCause('spec.clusterIPs[0]', '10.96.0.10'), {
    reason: 'FieldValueInvalid',
    message: 'Invalid value: "10.96.0.10": provided IP is already allocated',
    field: 'spec.clusterIPs[0]',
  })
})
