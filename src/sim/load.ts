// Scenario files: YAML text → validated Scenario, with trace files read relative to the scenario.
import { readFileSync } from 'node:fs'
import { basename, dirname, extname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ScenarioError } from './errors.js'
import { validateScenario, type Scenario } from './scenario.js'

/** Parses and validates scenario YAML; `baseDir` resolves a trace file's path. */
export function parseScenario(text: string, opts: { name?: string; baseDir?: string } = {}): Scenario {
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (e) {
    throw new ScenarioError('', `not valid YAML: ${(e as Error).message.split('\n')[0]}`)
  }
  const baseDir = opts.baseDir ?? '.'
  return validateScenario(doc, { name: opts.name, readFile: (p) => readFileSync(resolve(baseDir, p), 'utf8') })
}

/** Reads, parses and validates the scenario file at `path` (named after the file unless it has a `name`). */
export function loadScenario(path: string): Scenario {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new ScenarioError('', `${path}: cannot read the scenario file (does it exist?)`)
  }
  try {
    return parseScenario(text, { name: basename(path, extname(path)), baseDir: dirname(path) })
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError(e.field, e.detail, path)
    throw e
  }
}
