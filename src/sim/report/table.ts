// The terminal table: one row per algorithm (and per run, when a simulated and a measured run are
// printed side by side), the headline metrics as columns.
import { fmt } from './format.js'
import type { AlgorithmReport, Report } from './types.js'

/** The columns: header and how to read the cell from an algorithm's results. */
export const COLUMNS: readonly { header: string; cell: (a: AlgorithmReport) => string }[] = [
  { header: 'max load', cell: (a) => fmt(a.metrics.maxLoad) },
  { header: 'mean load', cell: (a) => fmt(a.metrics.meanLoad) },
  { header: 'mean', cell: (a) => fmt(a.metrics.meanResponseTime) },
  { header: 'p50', cell: (a) => fmt(a.metrics.p50) },
  { header: 'p99', cell: (a) => fmt(a.metrics.p99) },
  { header: 'p99.9', cell: (a) => fmt(a.metrics.p999) },
  { header: 'jain', cell: (a) => (Number.isFinite(a.metrics.jain) ? a.metrics.jain.toFixed(4) : '–') },
  { header: 'worst share', cell: (a) => worstShare(a) },
  { header: 'remapped', cell: (a) => fmt(a.metrics.remapped) },
  { header: 'failed', cell: (a) => fmt(a.metrics.failed) },
]

function worstShare(a: AlgorithmReport): string {
  const v = Object.values(a.metrics.share)
  if (v.length === 0) return '–'
  // Relative to an even split, so 1.00 is perfect whatever the number of backends.
  return `${(Math.max(...v) * v.length).toFixed(2)}×`
}

/** The rows of one or more reports as strings: algorithm label first (with the run's source when several). */
export function tableRows(reports: readonly Report[]): string[][] {
  const several = reports.length > 1
  const rows = [['algorithm', ...COLUMNS.map((c) => c.header)]]
  for (const r of reports) {
    for (const a of r.algorithms) rows.push([several ? `${a.label} (${r.source})` : a.label, ...COLUMNS.map((c) => c.cell(a))])
  }
  return rows
}

/**
 * Formats one report, or several side by side (a simulated and a measured run of the same
 * scenario), as an aligned text table; times are in the first report's unit.
 */
export function formatTable(reports: Report | readonly Report[]): string {
  const list = Array.isArray(reports) ? (reports as readonly Report[]) : [reports as Report]
  const rows = tableRows(list)
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()
  const head = list.map((r) => `${r.title} (${r.source}${r.seed !== undefined ? `, seed ${r.seed}` : ''}; times in ${r.timeUnit}; worst share = largest share × backends)`)
  return [...head, line(rows[0]!), ...rows.slice(1).map(line)].join('\n') + '\n'
}
