import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { writeReportDir } from '../../../src/sim/report/write.js'
import { measuredReport } from './fixture.js'

t.test('a report directory: json, markdown and charts', async (t) => {
  const dir = join(t.testdir(), 'out')
  const files = await writeReportDir(dir, measuredReport())
  t.same(files.sort(), ['load.svg', 'report.json', 'report.md', 'response-cdf.svg', 'share.svg'])
  t.same(readdirSync(dir).sort(), files)
  const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
  t.equal(json.algorithms[1].metrics.meanResponseTime, null, 'NaN becomes null in JSON')
  t.equal(json.source, 'measured')
  t.match(readFileSync(join(dir, 'report.md'), 'utf8'), /!\[Response-time CDF\]\(response-cdf\.svg\)/)
})
