import t from 'tap'
import { findUntoleratedTaint, toleratesNode, toleratesTaint } from '../../src/api/taints.js'
import type { Node, Taint, Toleration } from '../../src/api/types.js'

const taint: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }

t.test('toleratesTaint follows upstream ToleratesTaint', async (t) => {
  const cases: [string, Toleration, boolean][] = [
    ['Equal with same key and value', { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, true],
    ['operator defaults to Equal', { key: 'dedicated', value: 'gpu' }, true],
    ['Equal with another value', { key: 'dedicated', operator: 'Equal', value: 'cpu' }, false],
    ['Exists ignores the value', { key: 'dedicated', operator: 'Exists' }, true],
    ['another key', { key: 'other', operator: 'Exists' }, false],
    ['effect must match when given', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, true],
    ['empty key with Equal tolerates nothing', { operator: 'Equal', value: 'gpu' }, false],
  ]
  for (const [name, tol, want] of cases) t.equal(toleratesTaint(tol, taint), want, name)
  t.equal(toleratesTaint({ key: 'k', operator: 'Equal' }, { key: 'k', effect: 'NoSchedule' }), true, 'absent values are equal')
})

t.test('findUntoleratedTaint looks only at the given effects', async (t) => {
  const taints: Taint[] = [
    { key: 'soft', effect: 'PreferNoSchedule' },
    { key: 'a', effect: 'NoSchedule' },
    { key: 'b', effect: 'NoExecute' },
  ]
  t.same(findUntoleratedTaint(taints, []), { key: 'a', effect: 'NoSchedule' }, 'first blocking taint')
  t.same(findUntoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }]), { key: 'b', effect: 'NoExecute' })
  t.equal(findUntoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }]), undefined, 'PreferNoSchedule never blocks')
  t.same(findUntoleratedTaint(taints, [], ['PreferNoSchedule']), { key: 'soft', effect: 'PreferNoSchedule' })
  t.equal(findUntoleratedTaint(undefined, undefined), undefined, 'no taints')
})

t.test('toleratesNode', async (t) => {
  const node = (taints?: Taint[]): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints } })
  t.equal(toleratesNode(undefined, node()), true, 'untainted node')
  t.equal(toleratesNode([], node([taint])), false)
  t.equal(toleratesNode([{ key: 'dedicated', operator: 'Exists' }], node([taint])), true)
})
