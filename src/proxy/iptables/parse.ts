// iptables-save / iptables-restore text → Ruleset. Round-trips with render.ts.
import { KplabError } from '../../base/errors.js'
import type { ChainDecl, RuleLine, Ruleset, Table } from './ruleset.js'

/** A line of iptables text that cannot be parsed; names the line number and what was expected. */
export class IptablesParseError extends KplabError {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super('EIPTPARSE', `line ${line}: ${message}`)
  }
}

/**
 * Splits a rule into arguments the way iptables-restore does: spaces separate, double quotes
 * group, backslash escapes. Quoted tokens keep their quotes so rendering reproduces the text.
 */
export function tokenize(line: string): string[] {
  const out: string[] = []
  let i = 0
  const n = line.length
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++
    if (i >= n) break
    let tok = ''
    let quoted = false
    while (i < n) {
      const ch = line[i]!
      if (!quoted && (ch === ' ' || ch === '\t')) break
      if (ch === '\\' && i + 1 < n) {
        tok += ch + line[i + 1]!
        i += 2
        continue
      }
      if (ch === '"') quoted = !quoted
      tok += ch
      i++
    }
    out.push(tok)
  }
  return out
}

/** The text of a possibly quoted argument (`"a b"` → `a b`, `\"` → `"`). */
export function unquote(arg: string): string {
  if (arg.length >= 2 && arg.startsWith('"') && arg.endsWith('"')) return arg.slice(1, -1).replace(/\\(.)/g, '$1')
  return arg
}

const RULE_OPS = new Set(['-A', '-X', '-I', '-D', '-F', '-N'])

/** Parses iptables-save or iptables-restore text. */
// upstream: pkg/util/iptables/testing/parse.go (ParseIPTablesDump)
export function parseRuleset(text: string): Ruleset {
  const tables: Table[] = []
  let current: Table | undefined
  let pendingComments: string[] = []
  const lines = text.split('\n')
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '') return
    if (line.startsWith('#')) {
      pendingComments.push(line)
      return
    }
    if (line.startsWith('*')) {
      if (current !== undefined) throw new IptablesParseError(lineNo, `table ${line} starts before COMMIT of *${current.name}`)
      current = { name: line.slice(1).trim(), chains: [], rules: [] }
      if (pendingComments.length > 0) current.comments = pendingComments
      pendingComments = []
      return
    }
    if (current === undefined) throw new IptablesParseError(lineNo, `expected "*table" before "${line}"`)
    if (line === 'COMMIT') {
      // Comments inside a table (rare) are kept as comments of the next table or the trailer.
      tables.push(current)
      current = undefined
      return
    }
    if (line.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)(?:\s+(\[\d+:\d+\]))?\s*$/.exec(line)
      if (m === null) throw new IptablesParseError(lineNo, `bad chain line "${line}" (expected ":NAME POLICY [p:b]")`)
      const decl: ChainDecl = { name: m[1]!, policy: m[2]!, counters: m[3] ?? '[0:0]' }
      current.chains.push(decl)
      return
    }
    let tokens = tokenize(line)
    let counters: string | undefined
    if (tokens[0] !== undefined && /^\[\d+:\d+\]$/.test(tokens[0])) {
      counters = tokens[0]
      tokens = tokens.slice(1)
    }
    const op = tokens[0]
    if (op === undefined || !RULE_OPS.has(op) || tokens.length < 2) {
      throw new IptablesParseError(lineNo, `expected "-A CHAIN …" or "-X CHAIN", got "${line}"`)
    }
    const rule: RuleLine = { op: op as RuleLine['op'], chain: tokens[1]!, args: tokens.slice(2) }
    if (counters !== undefined) rule.counters = counters
    current.rules.push(rule)
  })
  if (current !== undefined) throw new IptablesParseError(lines.length, `table *${current.name} has no COMMIT`)
  const rs: Ruleset = { tables }
  if (pendingComments.length > 0) rs.trailer = pendingComments
  return rs
}
