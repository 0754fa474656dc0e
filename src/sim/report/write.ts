// A report directory: report.json (everything), report.md and the SVG charts.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderCharts } from './charts.js'
import { renderMarkdown } from './markdown.js'
import type { Report } from './types.js'

/** Writes report.json, report.md and the charts into `dir` (created if missing); returns the files written. */
export async function writeReportDir(dir: string, report: Report): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const charts = await renderCharts(report)
  const files: string[] = []
  const write = (name: string, text: string): void => {
    writeFileSync(join(dir, name), text)
    files.push(name)
  }
  write('report.json', `${JSON.stringify(report, null, 2)}\n`)
  for (const c of charts) write(c.file, c.svg)
  write('report.md', renderMarkdown(report, charts))
  return files
}
