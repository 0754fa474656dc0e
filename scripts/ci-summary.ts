// Prints the totals of the last `npm test` run (`N passed, N failed`) from tap's saved
// per-file results in .tap/test-results: leaf assertions only, subtest summaries not counted twice.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'

/** Totals of leaf test points in TAP text. */
export function countTap(text: string): { passed: number; failed: number; skipped: number; todo: number } {
  const totals = { passed: 0, failed: 0, skipped: 0, todo: 0 }
  let prevIndent = 0
  let inYaml = -1
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const indent = line.length - line.trimStart().length
    const body = line.trimStart()
    if (inYaml >= 0) {
      if (body === '...' && indent === inYaml) inYaml = -1
      continue
    }
    if (body === '---') {
      inYaml = indent
      continue
    }
    const m = /^(not )?ok \d+/.exec(body)
    if (m) {
      const isSubtestSummary = prevIndent > indent
      if (!isSubtestSummary) {
        if (/#\s*SKIP/i.test(body)) totals.skipped++
        else if (/#\s*TODO/i.test(body)) totals.todo++
        else if (m[1]) totals.failed++
        else totals.passed++
      } else if (m[1] && !/#\s*(SKIP|TODO)/i.test(body) && /# (fail|timeout)/.test(body)) {
        // a subtest that failed without a failing child (timeout, thrown error)
        totals.failed++
      }
    }
    prevIndent = indent
  }
  return totals
}

const dir = process.argv[2] ?? '.tap/test-results'
const totals = { passed: 0, failed: 0, skipped: 0, todo: 0 }
if (existsSync(dir)) {
  const walk = (d: string): void => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, f.name)
      if (f.isDirectory()) walk(p)
      else if (f.name.endsWith('.tap')) {
        const c = countTap(readFileSync(p, 'utf8'))
        totals.passed += c.passed
        totals.failed += c.failed
        totals.skipped += c.skipped
        totals.todo += c.todo
      }
    }
  }
  walk(dir)
}
if (totals.skipped || totals.todo) process.stdout.write(`(${totals.skipped} skipped, ${totals.todo} todo)\n`)
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`)
