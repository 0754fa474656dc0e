import t from 'tap'
import { fmt, pct } from '../../../src/sim/report/format.js'

t.test('numbers for people', async (t) => {
  t.equal(fmt(3), '3')
  t.equal(fmt(2.61384), '2.614')
  t.equal(fmt(0.0001234), '1.23e-4')
  t.equal(fmt(12345678.9), '1.23e+7')
  t.equal(fmt(Number.NaN), '–')
  t.equal(fmt(null), '–')
  t.equal(fmt(Infinity), '∞')
  t.equal(pct(0.25), '25.0%')
  t.equal(pct(Number.NaN), '–')
})
