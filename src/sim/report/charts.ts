// Charts as vega-lite specifications, rendered to SVG by vega in Node (no canvas, no browser): the
// per-backend share per algorithm, the response-time CDF and the in-flight load over time.
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import type { Report } from './types.js'

/** One chart: its file name and vega-lite specification. */
export interface ChartSpec {
  file: string
  title: string
  spec: TopLevelSpec
}

/** The largest number of backends drawn one bar each; beyond it the share chart shows the distribution of shares. */
const MAX_BARS = 64

/** The vega-lite specifications of a report's charts (pure: no rendering). */
export function chartSpecs(report: Report): ChartSpec[] {
  const specs: ChartSpec[] = []
  const n = report.backends.length
  if (n <= MAX_BARS) {
    const values = report.algorithms.flatMap((a) => report.backends.map((b) => ({ algorithm: a.label, backend: b, share: a.metrics.share[b] ?? 0 })))
    specs.push({
      file: 'share.svg',
      title: 'Share of requests per backend',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: `${report.title}: share of requests per backend (even = ${(1 / n).toFixed(3)})`,
        data: { values },
        facet: { row: { field: 'algorithm', type: 'nominal', title: null } },
        spec: {
          width: Math.max(200, Math.min(640, n * 16)),
          height: 80,
          layer: [
            { mark: 'bar', encoding: { x: { field: 'backend', type: 'nominal', sort: null, title: 'backend' }, y: { field: 'share', type: 'quantitative', title: 'share' } } },
            { mark: { type: 'rule', color: 'firebrick', strokeDash: [4, 2] }, encoding: { y: { datum: 1 / n } } },
          ],
        },
        resolve: { scale: { y: 'shared' } },
      } as TopLevelSpec,
    })
  } else {
    // Too many bars to read: show how the shares (relative to an even split) are distributed.
    const values = report.algorithms.flatMap((a) => report.backends.map((b) => ({ algorithm: a.label, relative: (a.metrics.share[b] ?? 0) * n })))
    specs.push({
      file: 'share.svg',
      title: 'Distribution of per-backend shares',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: `${report.title}: per-backend share relative to an even split (${n} backends)`,
        data: { values },
        mark: 'boxplot',
        encoding: { y: { field: 'algorithm', type: 'nominal', title: null }, x: { field: 'relative', type: 'quantitative', title: 'share × backends (1 = even)' } },
        width: 480,
      } as TopLevelSpec,
    })
  }
  const cdf = report.algorithms.flatMap((a) => a.samples.responseCdf.filter((p) => Number.isFinite(p.value)).map((p) => ({ algorithm: a.label, time: p.value, fraction: p.fraction })))
  if (cdf.length > 0) {
    specs.push({
      file: 'response-cdf.svg',
      title: 'Response-time CDF',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: `${report.title}: response time (${report.timeUnit}), cumulative`,
        data: { values: cdf },
        mark: { type: 'line', point: true, interpolate: 'step-after' },
        encoding: {
          x: { field: 'time', type: 'quantitative', title: `response time (${report.timeUnit})` },
          y: { field: 'fraction', type: 'quantitative', title: 'fraction of requests ≤ x' },
          color: { field: 'algorithm', type: 'nominal' },
        },
        width: 480,
        height: 280,
      } as TopLevelSpec,
    })
  }
  const load = report.algorithms.flatMap((a) => a.samples.load.flatMap((p) => [
    { algorithm: a.label, time: p.time, load: p.max, measure: 'max' },
    { algorithm: a.label, time: p.time, load: p.mean, measure: 'mean' },
  ]))
  if (load.length > 0) {
    specs.push({
      file: 'load.svg',
      title: 'In-flight load over time',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: `${report.title}: requests in flight per backend (max and mean)`,
        data: { values: load },
        mark: 'line',
        encoding: {
          x: { field: 'time', type: 'quantitative', title: `time (${report.timeUnit})` },
          y: { field: 'load', type: 'quantitative', title: 'in flight' },
          color: { field: 'algorithm', type: 'nominal' },
          strokeDash: { field: 'measure', type: 'nominal' },
        },
        width: 480,
        height: 280,
      } as TopLevelSpec,
    })
  }
  return specs
}

/** Renders a vega-lite specification to SVG text with vega's headless renderer. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/** Every chart of a report as { file, title, svg }. */
export async function renderCharts(report: Report): Promise<{ file: string; title: string; svg: string }[]> {
  const out: { file: string; title: string; svg: string }[] = []
  for (const c of chartSpecs(report)) out.push({ file: c.file, title: c.title, svg: await renderSvg(c.spec) })
  return out
}
