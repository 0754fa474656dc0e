// Reads manifests as `kubectl apply -f` does: a file, a directory of .yaml/.yml/.json files, or
// stdin (`-`); multi-document YAML; JSON; `kind: List` (and `*List`) expanded into its items.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../api/meta.js'
import { UsageError } from '../base/errors.js'

/** One object from a manifest and where it came from (for messages). */
export interface Manifest {
  object: KubeObject
  /** The file name as given (`manifest.yaml`, `STDIN`). */
  source: string
}

/** Reads every object from a path (file or directory) or from `-` (stdin text passed in). */
export function readManifests(path: string, stdinText?: string): Manifest[] {
  if (path === '-') return parseManifests(stdinText ?? '', 'STDIN')
  let st
  try {
    st = statSync(path)
  } catch {
    throw new UsageError(`the path "${path}" does not exist`)
  }
  if (st.isDirectory()) {
    // upstream: cli-runtime/pkg/resource/visitor.go (FileExtensions: .json, .yaml, .yml; sorted, not recursive)
    const files = readdirSync(path)
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort()
    return files.flatMap((f) => parseManifests(readFileSync(join(path, f), 'utf8'), join(path, f)))
  }
  return parseManifests(readFileSync(path, 'utf8'), path)
}

/** Parses manifest text: YAML documents (JSON is YAML), lists expanded, empty documents skipped. */
export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = []
  const docs = parseAllDocuments(text)
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      throw new UsageError(`error parsing ${source}: document ${i + 1}: ${doc.errors[0]!.message.split('\n')[0]}`)
    }
    const value: unknown = doc.toJS()
    if (value === null || value === undefined) return
    collect(value, source, `document ${i + 1}`, out)
  })
  return out
}

function collect(value: unknown, source: string, where: string, out: Manifest[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`error parsing ${source}: ${where} is not an object (expected apiVersion, kind, metadata)`)
  }
  const v = value as Record<string, unknown>
  if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
    v.items.forEach((item, i) => collect(item, source, `${where} items[${i}]`, out))
    return
  }
  const missing = ['apiVersion', 'kind'].filter((k) => typeof v[k] !== 'string' || v[k] === '')
  if (missing.length > 0) {
    throw new UsageError(`error validating data from ${source} (${where}): ${missing.map((m) => `${m} not set`).join(', ')}`)
  }
  const meta = v.metadata as { name?: unknown } | undefined
  if (!meta || typeof meta.name !== 'string' || meta.name === '') {
    throw new UsageError(`error validating data from ${source} (${where}, ${String(v.kind)}): metadata.name not set`)
  }
  out.push({ object: v as unknown as KubeObject, source })
}
