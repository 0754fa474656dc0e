// Measured beside predicted: the simulator scenario equivalent to a live experiment (same pods,
// speeds, load and algorithms), the measured rounds as the simulator's Report shape, and the report
// directory (report.json, report.md, SVG charts, index.html) written by the simulator's own code.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { jainIndex } from '../sim/metrics.js'
import { renderCharts } from '../sim/report/charts.js'
import { renderMarkdown } from '../sim/report/markdown.js'
import { formatTable, tableRows } from '../sim/report/table.js'
import type { AlgorithmReport, Report } from '../sim/report/types.js'
import { validateScenario, type Scenario } from '../sim/scenario.js'
import type { Experiment, ExperimentRound } from './experiment-spec.js'
import type { LoadResult } from './loadgen.js'

/**
 * Milliseconds a pod spends on an answer beyond ECHO_DELAY_MS (HTTP parsing, the proxy hop,
 * loopback): the simulator needs a non-zero service time even for a pod without delay.
 */
export const BASE_SERVICE_MS = 1

/** The backend names of an experiment, in order: `<group>-<i>` for each replica. */
export function backendNames(exp: Experiment): string[] {
  return exp.groups.flatMap((g) => Array.from({ length: g.replicas }, (_, i) => `${g.name}-${i}`))
}

/** How the simulator names a round's algorithm and its unit (iptables per connection; userspace per request with appProtocol http). */
function algorithmOf(exp: Experiment, r: ExperimentRound): { name: string; unit: 'connection' | 'request'; label: string } {
  if (r.proxy === 'iptables') return { name: 'iptables', unit: 'connection', label: r.label }
  return { name: r.algorithm!, unit: exp.appProtocol === 'http' ? 'request' : 'connection', label: r.label }
}

/**
 * The simulator scenario of an experiment: one backend per pod with speed 1/(delay + base), no
 * queueing limit (the echo image answers concurrently), the same loop and keep-alive, and the
 * events as backend events. Every request comes from one client address (the lab's client).
 */
export function predictedScenario(exp: Experiment): Scenario {
  const speed = (delayMs: number): number => 1 / (delayMs + BASE_SERVICE_MS)
  const backends = exp.groups.flatMap((g) =>
    Array.from({ length: g.replicas }, (_, i) => {
      const events: { at: number; type: string; speed?: number }[] = []
      for (const e of exp.events) {
        if (e.type === 'delete-pod' && e.group === g.name && i === 0) events.push({ at: e.atMs, type: 'down' })
        if (e.type === 'slow-group' && e.group === g.name) events.push({ at: e.atMs, type: 'slow', speed: speed(e.delayMs) })
      }
      return { name: `${g.name}-${i}`, speed: speed(g.delayMs), capacity: 'infinite', events }
    }),
  )
  const l = exp.load
  const arrivals = l.loop === 'open'
    ? { type: 'poisson', rate: l.rate / 1000 / backends.length }
    : { type: 'closed', clients: l.concurrency, think: { distribution: 'fixed', value: 0.01 } }
  // A closed loop with keep-alive holds one connection per worker for the whole round.
  const perConnection = l.keepAlive && l.loop === 'closed' ? Math.max(1, Math.ceil(l.requests / l.concurrency)) : 1
  return validateScenario({
    name: exp.name,
    timeUnit: 'ms',
    backends,
    workload: { arrivals, service: { distribution: 'fixed', value: 1 }, requests: l.requests, requestsPerConnection: perConnection, clients: 1 },
    algorithms: exp.rounds.map((r) => algorithmOf(exp, r)),
  })
}

/** A measured round: its load result and which backend each answering pod was. */
export interface MeasuredRound {
  round: ExperimentRound
  result: LoadResult
  /** Pod name → backend name (`<group>-<i>`); pods not in it (replacements) keep their name. */
  backendOf: Record<string, string>
  /** Notes (a skipped event, a round run differently than asked). */
  notes: string[]
}

/** The measured rounds as a Report (times in ms); load metrics the lab does not measure are NaN. */
export function measuredReport(exp: Experiment, rounds: readonly MeasuredRound[]): Report {
  const names = backendNames(exp)
  const extra = new Set<string>()
  for (const m of rounds) for (const pod of Object.keys(m.result.pods)) if (!names.includes(m.backendOf[pod] ?? pod)) extra.add(m.backendOf[pod] ?? pod)
  const backends = [...names, ...[...extra].sort()]
  const algorithms: AlgorithmReport[] = rounds.map((m) => {
    const a = algorithmOf(exp, m.round)
    const share: Record<string, number> = {}
    for (const b of backends) share[b] = 0
    for (const [pod, p] of Object.entries(m.result.pods)) share[m.backendOf[pod] ?? pod] = (share[m.backendOf[pod] ?? pod] ?? 0) + p.share
    const r = m.result
    const at = (q: number): number => r.latencyCdf.find((p) => p.fraction === q)?.value ?? Number.NaN
    return {
      name: a.name,
      params: {},
      label: a.label,
      completed: r.succeeded,
      metrics: {
        maxLoad: Number.NaN,
        meanLoad: Number.NaN,
        meanResponseTime: r.latency.mean,
        p50: r.latency.p50,
        p99: r.latency.p99,
        p999: at(0.999),
        jain: jainIndex(backends.map((b) => share[b]!)),
        share,
        remapped: Number.NaN,
        failed: r.errors,
      },
      samples: { responseCdf: r.latencyCdf, load: [] },
    }
  })
  return { title: exp.name, source: 'measured', timeUnit: 'ms', backends, algorithms }
}

/** Both runs in one report for the charts: each algorithm labelled `label (source)`. */
function combined(predicted: Report, measured: Report): Report {
  const backends = [...new Set([...predicted.backends, ...measured.backends])]
  const tag = (r: Report): AlgorithmReport[] => r.algorithms.map((a) => ({ ...a, label: `${a.label} (${r.source})` }))
  return { ...measured, backends, algorithms: [...tag(predicted), ...tag(measured)] }
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The index.html: the comparison table and every chart inline (one file to open, no server). */
export function renderIndexHtml(predicted: Report, measured: Report, charts: readonly { title: string; svg: string }[], notes: readonly string[] = []): string {
  const rows = tableRows([predicted, measured])
  const head = `<tr>${rows[0]!.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`
  const body = rows.slice(1).map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(measured.title)}: measured and predicted</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>${esc(measured.title)}: measured in the lab and predicted by the simulator</h1>
<p>Times in ms. The prediction runs the simulator on the same pods, speeds, load and algorithms (see report.md); load columns are not measured live.</p>
<table>
${head}
${body}
</table>
${notes.length > 0 ? `<h2>Notes</h2><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
${charts.map((c) => `<h2>${esc(c.title)}</h2>\n${c.svg}`).join('\n')}
</body></html>
`
}

/** Writes report.json ({predicted, measured, notes}), report.md, the SVG charts and index.html into dir; returns the files. */
export async function writeComparisonDir(dir: string, predicted: Report, measured: Report, notes: readonly string[] = []): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const charts = await renderCharts(combined(predicted, measured))
  const files: string[] = []
  const write = (name: string, text: string): void => {
    writeFileSync(join(dir, name), text)
    files.push(name)
  }
  write('report.json', `${JSON.stringify({ predicted, measured, notes }, null, 2)}\n`)
  for (const c of charts) write(c.file, c.svg)
  const md = renderMarkdown([predicted, measured], charts)
  write('report.md', notes.length > 0 ? `${md}\n## Notes\n\n${notes.map((n) => `- ${n}`).join('\n')}\n` : md)
  write('index.html', renderIndexHtml(predicted, measured, charts, notes))
  return files
}

/** The terminal comparison: the simulator's table with predicted and measured rows. */
export function formatComparison(predicted: Report, measured: Report): string {
  return formatTable([predicted, measured])
}
