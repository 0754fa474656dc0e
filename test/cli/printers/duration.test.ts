import t from 'tap'
import { age, humanDuration } from '../../../src/cli/printers/duration.js'

t.test('HumanDuration boundaries as upstream', async (t) => {
  const s = 1000
  const m = 60 * s
  const h = 60 * m
  const d = 24 * h
  const cases: [number, string][] = [
    [-3 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [9 * m + 5 * s, '9m5s'],
    [10 * m + 5 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [7 * h + 30 * m, '7h30m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [7 * d + 5 * h, '7d5h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [800 * d, '2y70d'],
    [365 * 9 * d, '9y'],
  ]
  for (const [ms, want] of cases) t.equal(humanDuration(ms), want, `${ms}ms`)
})

t.test('age of a timestamp', async (t) => {
  t.equal(age('2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1, 0, 5)), '5m')
  t.equal(age(undefined, 0), '<unknown>')
  t.equal(age('garbage', 0), '<unknown>')
})
