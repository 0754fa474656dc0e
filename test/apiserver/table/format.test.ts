import t from 'tap'
import {
  arr,
  formatLabelSelector,
  formatLabels,
  humanDuration,
  layoutContainerCells,
  listWithMoreString,
  num,
  obj,
  str,
  translateTimestampSince,
} from '../../../src/apiserver/table/format.js'

const S = 1000
const M = 60 * S
const H = 60 * M
const D = 24 * H

t.test('humanDuration matches upstream duration.HumanDuration', async (t) => {
  const cases: [number, string][] = [
    [-3 * S, '<invalid>'],
    [-1 * S, '0s'],
    [0, '0s'],
    [59 * S, '59s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 20 * S, '3m20s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [39 * M, '39m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [5 * H + 10 * M, '5h10m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [48 * H, '2d'],
    [5 * D + 3 * H, '5d3h'],
    [8 * D + 3 * H, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [3 * 365 * D + 4 * D, '3y4d'],
    [9 * 365 * D + 100 * D, '9y'],
  ]
  for (const [ms, want] of cases) t.equal(humanDuration(ms), want, `${ms} ms`)
})

t.test('translateTimestampSince', async (t) => {
  const now = Date.parse('2026-11-25T10:00:00Z')
  t.equal(translateTimestampSince('2026-11-25T09:21:00Z', now), '39m')
  t.equal(translateTimestampSince(undefined, now), '<unknown>')
  t.equal(translateTimestampSince('', now), '<unknown>')
  t.equal(translateTimestampSince('garbage', now), '<unknown>')
})

t.test('formatLabels sorts and uses <none>', async (t) => {
  t.equal(formatLabels({ tier: 'fe', app: 'web' }), 'app=web,tier=fe')
  t.equal(formatLabels({}), '<none>')
  t.equal(formatLabels(undefined), '<none>')
})

t.test('formatLabelSelector renders matchLabels and matchExpressions sorted by key', async (t) => {
  t.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web')
  t.equal(
    formatLabelSelector({
      matchLabels: { z: '1' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'has', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    }),
    'env notin (prod),has,!legacy,tier in (a,b),z=1',
  )
  t.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }), '<invalid>')
  t.equal(formatLabelSelector(undefined), '')
})

t.test('layoutContainerCells and listWithMoreString', async (t) => {
  t.same(layoutContainerCells([{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:2' }]), ['a,b', 'x:1,y:2'])
  t.same(layoutContainerCells(undefined), ['', ''])
  t.equal(listWithMoreString(['a', 'b', 'c'], true, 5, 3), 'a,b,c + 2 more...')
  t.equal(listWithMoreString([], false, 0, 3), '<unset>')
  t.equal(listWithMoreString(['a'], false, 1, 3), 'a')
})

t.test('loose field readers', async (t) => {
  t.same(obj([1]), {})
  t.same(arr({}), [])
  t.same(arr([1, { a: 1 }]), [{}, { a: 1 }])
  t.equal(str(null), '')
  t.equal(str(5), '5')
  t.equal(num('5'), 0)
  t.equal(num(NaN), 0)
})
