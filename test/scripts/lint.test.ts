import t from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { lint } from '../../scripts/lint.js'

const here = dirname(fileURLToPath(import.meta.url))

t.test('the source tree follows the design import direction and bans', async (t) => {
  const findings = lint(resolve(here, '..', '..', 'src'))
  t.same(findings, [], findings.map((f) => `${f.file}:${f.line} ${f.message}`).join('\n'))
})

t.test('catches an upward import and a banned call', async (t) => {
  const dir = t.testdir({ src: { base: {}, api: {}, storage: {} } })
  const src = join(dir, 'src')
  mkdirSync(join(src, 'api'), { recursive: true })
  writeFileSync(join(src, 'api', 'a.ts'), "import { x } from '../storage/store.js'\nconst n = Date.now()\n")
  writeFileSync(join(src, 'base', 'b.ts'), 'const n = Date.now()\n')
  const findings = lint(src)
  t.equal(findings.length, 2)
  t.match(findings[0]!.message, /api must not import storage/)
  t.match(findings[1]!.message, /Date\.now/)
})
