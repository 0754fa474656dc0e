// A whole simulation: every algorithm of a scenario over the same seeded workload, as one Report.
import { runAlgorithm } from './engine.js'
import type { Report } from './report/types.js'
import type { Scenario } from './scenario.js'

/** Options of simulate. */
export interface SimulateOptions {
  /** Called with (algorithm index, issued, total) as requests are issued. */
  onProgress?: (algorithm: number, issued: number, total: number) => void
}

/**
 * Runs every algorithm of `scenario` with `seed`. Each algorithm sees the same arrival, client and
 * service-time streams (common random numbers), so differences come from the algorithms. The
 * result holds no wall-clock data: the same scenario and seed give the same JSON, byte for byte.
 */
export function simulate(scenario: Scenario, seed: number, opts: SimulateOptions = {}): Report {
  const algorithms = scenario.algorithms.map((spec, i) =>
    runAlgorithm(scenario, spec, seed, { onProgress: opts.onProgress ? (done, total) => opts.onProgress!(i, done, total) : undefined }),
  )
  return { title: scenario.name, source: 'simulated', seed, timeUnit: scenario.timeUnit, backends: scenario.backends.map((b) => b.name), algorithms }
}

/** The `--json` shape: seed and, per algorithm, name, params and metrics. */
export function summaryJson(report: Report): { seed: number | undefined; algorithms: { name: string; label: string; params: Record<string, unknown>; metrics: Report['algorithms'][number]['metrics'] }[] } {
  return { seed: report.seed, algorithms: report.algorithms.map((a) => ({ name: a.name, label: a.label, params: a.params, metrics: a.metrics })) }
}
