// Loads a golden input (test/fixtures/iptables/NAME.yaml): Kubernetes manifests plus a
// "# options: {json}" line holding GeneratorOptions.
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../../../src/api/meta.js'
import type { ProxyState } from '../../../src/proxy/iptables/generate.js'
import { stateFromObjects } from '../../../src/proxy/iptables/input.js'
import type { GeneratorOptions } from '../../../src/proxy/iptables/options.js'

/** Directory of the golden files. */
export const GOLDEN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'iptables')

/** Names (without extension) of every golden input. */
export function goldenNames(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort()
}

/** Reads one golden input. */
export function loadGolden(name: string): { state: ProxyState; options: Partial<GeneratorOptions>; expected: string | undefined } {
  const text = readFileSync(resolve(GOLDEN_DIR, `${name}.yaml`), 'utf8')
  const m = /^# options: (.*)$/m.exec(text)
  const options = m ? (JSON.parse(m[1]!) as Partial<GeneratorOptions>) : {}
  const objects: KubeObject[] = []
  for (const doc of parseAllDocuments(text)) {
    const v = doc.toJS() as (KubeObject & { items?: KubeObject[] }) | null
    if (v === null) continue
    if (v.kind === 'List') objects.push(...(v.items ?? []))
    else objects.push(v)
  }
  let expected: string | undefined
  try {
    expected = readFileSync(resolve(GOLDEN_DIR, `${name}.rules`), 'utf8')
  } catch {
    expected = undefined
  }
  return { state: stateFromObjects(objects), options, expected }
}
