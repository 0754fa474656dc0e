import t from 'tap'
import { formatTable, tableRows } from '../../../src/sim/report/table.js'
import { measuredReport } from './fixture.js'

t.test('one row per algorithm, aligned, with unmeasured values as dashes', async (t) => {
  const text = formatTable(measuredReport())
  const lines = text.trimEnd().split('\n')
  t.match(lines[0], /^uniform \(measured; times in ms/)
  t.match(lines[1], /^algorithm\s+max load\s+mean load\s+mean\s+p50\s+p99\s+p99\.9\s+jain\s+worst share\s+remapped\s+failed$/)
  t.match(lines[2], /^round-robin\s+4\s+1\.25\s+2\.5\s+2\s+9\.5\s+12\s+1\.0000\s+1\.00×\s+0\s+0$/)
  t.match(lines[3], /^random\s+7\s+1\.5\s+–\s+–\s+–\s+–\s+0\.9000\s+1\.50×\s+3\s+2$/)
  t.equal(lines[1]!.length, lines[2]!.length, 'columns aligned')
})

t.test('a simulated and a measured run side by side', async (t) => {
  const sim = { ...measuredReport(), source: 'simulated' as const, seed: 3 }
  const rows = tableRows([sim, measuredReport()])
  t.same(rows.map((r) => r[0]), ['algorithm', 'round-robin (simulated)', 'random (simulated)', 'round-robin (measured)', 'random (measured)'])
  const text = formatTable([sim, measuredReport()])
  t.match(text, /uniform \(simulated, seed 3;/)
  t.match(text, /uniform \(measured;/)
})
