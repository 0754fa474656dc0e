import t from 'tap'
import { chartSpecs, renderCharts } from '../../../src/sim/report/charts.js'
import { measuredReport } from './fixture.js'

t.test('three charts as vega-lite specifications', async (t) => {
  const specs = chartSpecs(measuredReport())
  t.same(specs.map((s) => s.file), ['share.svg', 'response-cdf.svg', 'load.svg'])
  const share = specs[0]!.spec as unknown as { data: { values: { algorithm: string; backend: string; share: number }[] } }
  t.equal(share.data.values.length, 6, 'one bar per algorithm and backend')
  t.same(share.data.values[3], { algorithm: 'random', backend: 'pod-a', share: 0.5 })
  const cdf = specs[1]!.spec as unknown as { data: { values: unknown[] } }
  t.equal(cdf.data.values.length, 3, 'only the measured CDF points')
})

t.test('many backends: the share chart becomes a distribution', async (t) => {
  const r = measuredReport()
  r.backends = Array.from({ length: 100 }, (_, i) => `b${i}`)
  const specs = chartSpecs(r)
  t.equal((specs[0]!.spec as unknown as { mark: string }).mark, 'boxplot')
})

t.test('rendered to SVG by vega, headless', async (t) => {
  const charts = await renderCharts(measuredReport())
  t.equal(charts.length, 3)
  for (const c of charts) {
    t.match(c.svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, c.file)
    t.match(c.svg, /<\/svg>$/)
  }
  t.match(charts[0]!.svg, /pod-a/, 'backend names on the axis')
})
