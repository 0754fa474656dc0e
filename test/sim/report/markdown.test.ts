import t from 'tap'
import { renderMarkdown } from '../../../src/sim/report/markdown.js'
import { measuredReport } from './fixture.js'

t.test('a markdown report with the table, charts and shares', async (t) => {
  const md = renderMarkdown(measuredReport(), [{ file: 'share.svg', title: 'Share of requests per backend' }])
  t.match(md, /^# uniform\n/)
  t.match(md, /\| algorithm \| max load \| mean load \|/)
  t.match(md, /\|---\|---:\|/)
  t.match(md, /\| round-robin \| 4 \| 1\.25 \| 2\.5 \|/)
  t.match(md, /!\[Share of requests per backend\]\(share\.svg\)/)
  t.match(md, /\| random \| 50\.0% \| 25\.0% \| 25\.0% \|/)
  t.match(md, /Completed requests: round-robin 300, random 298\./)
})

t.test('side by side, each row says where it comes from', async (t) => {
  const md = renderMarkdown([{ ...measuredReport(), source: 'simulated', seed: 1 }, measuredReport()])
  t.match(md, /- simulated run, seed 1: 3 backends/)
  t.match(md, /- measured run: 3 backends/)
  t.match(md, /\| round-robin \(simulated\) \|/)
  t.match(md, /\| random \(measured\) \| 50\.0%/)
})
