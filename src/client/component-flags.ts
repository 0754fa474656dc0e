// Flag plumbing shared by the long-running components (scheduler, controller manager, kubelet): a
// declarative flag list and readers that turn commander's strings into checked values, with errors
// that name the flag.
import { UsageError } from '../base/errors.js'

/** One command-line flag: spelling, key, help and default. */
export interface FlagSpec<K extends string> {
  flag: string
  key: K
  description: string
  defaultValue?: string
}

/** Reads raw commander values with defaults from a flag list. */
export function flagReader<K extends string>(flags: readonly FlagSpec<K>[], raw: Record<string, unknown>): (k: K) => string | undefined {
  return (k) => {
    const v = raw[k]
    if (v !== undefined && v !== null && v !== '') return String(v)
    return flags.find((f) => f.key === k)?.defaultValue
  }
}

function flagOf<K extends string>(flags: readonly FlagSpec<K>[], k: K): string {
  return flags.find((f) => f.key === k)!.flag.split(' ')[0]!
}

/** Parses a duration flag or throws a UsageError naming it. */
export function durationFlag<K extends string>(flags: readonly FlagSpec<K>[], get: (k: K) => string | undefined, k: K): number {
  try {
    return parseDuration(get(k)!)
  } catch (err) {
    throw new UsageError(`${flagOf(flags, k)}: ${(err as Error).message}`)
  }
}

/** Parses a boolean flag (true/false) or throws a UsageError naming it. */
export function boolFlag<K extends string>(flags: readonly FlagSpec<K>[], get: (k: K) => string | undefined, k: K): boolean {
  const v = get(k)
  if (v === 'true') return true
  if (v === 'false') return false
  throw new UsageError(`${flagOf(flags, k)}: "${v}" is not a boolean; use true or false`)
}

/** Parses a non-negative integer flag or throws a UsageError naming it. */
export function intFlag<K extends string>(flags: readonly FlagSpec<K>[], get: (k: K) => string | undefined, k: K, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(get(k))
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`${flagOf(flags, k)}: "${get(k)}" must be an integer from 0 to ${max}`)
  return n
}

/** A Go-style duration (`40s`, `1m30s`, `500ms`, `2h`) in milliseconds; throws on anything else. */
export function parseDuration(s: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g
  const text = s.trim()
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h))+$/.test(text)) throw new Error(`"${s}" is not a duration; write it like 40s, 500ms, 1m30s`)
  let total = 0
  for (const m of text.matchAll(re)) total += Number(m[1]) * units[m[2]!]!
  return total
}
