// report.md: the table as markdown, the per-backend shares, and the charts, for a person to read.
import { fmt, pct } from './format.js'
import { tableRows } from './table.js'
import type { Report } from './types.js'

/** Renders a report (or several side by side) as markdown, linking the chart files given. */
export function renderMarkdown(reports: Report | readonly Report[], charts: readonly { file: string; title: string }[] = []): string {
  const list = Array.isArray(reports) ? (reports as readonly Report[]) : [reports as Report]
  const first = list[0]!
  const out: string[] = [`# ${first.title}`, '']
  for (const r of list) out.push(`- ${r.source} run${r.seed !== undefined ? `, seed ${r.seed}` : ''}: ${r.backends.length} backends, times in ${r.timeUnit}`)
  out.push('', '## Results', '')
  const rows = tableRows(list)
  out.push(`| ${rows[0]!.join(' | ')} |`, `|${rows[0]!.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`)
  for (const row of rows.slice(1)) out.push(`| ${row.join(' | ')} |`)
  out.push('', '*max load*: most requests in flight at one backend; *jain*: Jain\'s fairness index of requests per weight (1 = even); *worst share*: largest share × backends; *remapped*: clients sent elsewhere on their first request after a backend left.', '')
  for (const c of charts) out.push(`## ${c.title}`, '', `![${c.title}](${c.file})`, '')
  if (first.backends.length <= 32) {
    out.push('## Share of requests per backend', '')
    out.push(`| algorithm | ${first.backends.join(' | ')} |`, `|---|${first.backends.map(() => '---:').join('|')}|`)
    for (const r of list) for (const a of r.algorithms) out.push(`| ${a.label}${list.length > 1 ? ` (${r.source})` : ''} | ${first.backends.map((b) => pct(a.metrics.share[b] ?? Number.NaN)).join(' | ')} |`)
    out.push('')
  }
  out.push(`Completed requests: ${list.flatMap((r) => r.algorithms.map((a) => `${a.label} ${fmt(a.completed)}`)).join(', ')}.`, '')
  return out.join('\n')
}
