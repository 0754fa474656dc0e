// Enforces the design's import direction (DESIGN.md §2) and keeps time and chance injectable:
// no Date.now / Math.random / global timers outside src/base/.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, dirname, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Which top-level src modules each module may import (besides itself). */
export const ALLOWED: Record<string, string[]> = {
  base: [],
  api: ['base'],
  storage: ['api', 'base'],
  apiserver: ['storage', 'api', 'base'],
  client: ['api', 'base'],
  lb: ['base'],
  netns: ['base'],
  sim: ['lb', 'api', 'base'],
  scheduler: ['client', 'api', 'base'],
  controllers: ['client', 'api', 'base'],
  kubelet: ['client', 'api', 'netns', 'base'],
  proxy: ['client', 'api', 'lb', 'netns', 'base'],
  lab: ['client', 'api', 'netns', 'sim', 'lb', 'proxy', 'base'],
  cli: ['*'],
}

const BANNED: { re: RegExp; what: string }[] = [
  { re: /\bDate\.now\s*\(/, what: 'Date.now() (inject a Clock from src/base/clock.ts)' },
  { re: /\bMath\.random\s*\(/, what: 'Math.random() (inject an Rng from src/base/rng.ts)' },
  { re: /(?<![.\w])setTimeout\s*\(/, what: 'setTimeout (use clock.setTimeout)' },
  { re: /(?<![.\w])setInterval\s*\(/, what: 'setInterval (use clock.setInterval)' },
  { re: /\bnew Date\(\s*\)/, what: 'new Date() (use new Date(clock.now()))' },
]

/** A lint finding: file, line and what is wrong. */
export interface Finding {
  file: string
  line: number
  message: string
}

function walk(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...walk(p))
    else if (p.endsWith('.ts')) out.push(p)
  }
  return out
}

function stripComments(line: string): string {
  const i = line.indexOf('//')
  return i >= 0 ? line.slice(0, i) : line
}

/** Lints every .ts file under srcDir. */
export function lint(srcDir: string): Finding[] {
  const findings: Finding[] = []
  for (const file of walk(srcDir)) {
    const rel = relative(srcDir, file)
    const mod = rel.split(sep)[0]!
    const allowed = ALLOWED[mod]
    const lines = readFileSync(file, 'utf8').split('\n')
    let inBlock = false
    lines.forEach((raw, i) => {
      let line = raw
      if (inBlock) {
        if (!line.includes('*/')) return
        line = line.slice(line.indexOf('*/') + 2)
        inBlock = false
      }
      if (/^\s*\/?\*/.test(line) && !line.includes('*/')) {
        inBlock = line.trimStart().startsWith('/*')
        return
      }
      line = stripComments(line)
      if (allowed === undefined) {
        if (i === 0) findings.push({ file: rel, line: 1, message: `module "${mod}" is not in the design's tree (scripts/lint.ts ALLOWED)` })
      }
      const m = /(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/.exec(line)
      if (m && allowed && !allowed.includes('*')) {
        const target = relative(srcDir, resolve(dirname(file), m[1]!))
        const tmod = target.split(sep)[0]!
        if (!target.startsWith('..') && tmod !== mod && !allowed.includes(tmod)) {
          findings.push({ file: rel, line: i + 1, message: `${mod} must not import ${tmod} (allowed: ${allowed.join(', ') || 'nothing'})` })
        }
      }
      if (mod !== 'base') {
        for (const b of BANNED) if (b.re.test(line)) findings.push({ file: rel, line: i + 1, message: `banned outside src/base: ${b.what}` })
      }
    })
  }
  return findings
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src')
  const findings = lint(root)
  for (const f of findings) process.stderr.write(`src/${f.file}:${f.line}: ${f.message}\n`)
  process.stdout.write(findings.length ? `${findings.length} lint finding(s)\n` : 'lint: clean\n')
  process.exitCode = findings.length ? 1 : 0
}
