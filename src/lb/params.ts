// Declarative parameters: each algorithm lists what it takes, and one validator turns the user's
// `kplab.io/lb-params` object into typed values or an error naming the parameter and the fix.
import { BalancerConfigError } from './errors.js'

/** One parameter an algorithm or wrapper accepts. */
export interface ParamSpec {
  name: string
  type: 'integer' | 'number' | 'string'
  /** Inclusive bounds for numbers. */
  min?: number
  max?: number
  /** The only values allowed, when the set is small. */
  oneOf?: readonly (number | string)[]
  /** Used when the parameter is absent. */
  default: number | string
  /** One line for `--help`, the README and error messages. */
  doc: string
}

/** Validated parameters: every declared name present, with its default when the user gave none. */
export type ParamValues = Record<string, number | string>

function describe(spec: ParamSpec): string {
  if (spec.oneOf) return `one of ${spec.oneOf.join(', ')}`
  const kind = spec.type === 'integer' ? 'an integer' : spec.type === 'number' ? 'a number' : 'a string'
  if (spec.min !== undefined && spec.max !== undefined) return `${kind} from ${spec.min} to ${spec.max}`
  if (spec.min !== undefined) return `${kind} ≥ ${spec.min}`
  if (spec.max !== undefined) return `${kind} ≤ ${spec.max}`
  return kind
}

/**
 * Checks `params` against `specs`; unknown names, wrong types and out-of-range values throw a
 * BalancerConfigError whose field is `<prefix><name>`. Returns the values with defaults filled in.
 */
export function validateParams(owner: string, specs: readonly ParamSpec[], params: Record<string, unknown>, prefix = 'params.'): ParamValues {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new BalancerConfigError(prefix.replace(/\.$/, ''), `must be an object of ${owner} parameters`)
  }
  const known = new Map(specs.map((s) => [s.name, s]))
  for (const name of Object.keys(params)) {
    if (!known.has(name)) {
      const list = specs.length ? `known: ${specs.map((s) => s.name).join(', ')}` : `${owner} takes no parameters`
      throw new BalancerConfigError(`${prefix}${name}`, `unknown parameter for ${owner} (${list})`)
    }
  }
  const out: ParamValues = {}
  for (const spec of specs) {
    const raw = params[spec.name]
    if (raw === undefined) {
      out[spec.name] = spec.default
      continue
    }
    const bad = (): never => {
      throw new BalancerConfigError(`${prefix}${spec.name}`, `must be ${describe(spec)} (got ${JSON.stringify(raw)}); ${spec.doc}`)
    }
    if (spec.type === 'string') {
      if (typeof raw !== 'string') bad()
    } else {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) bad()
      if (spec.type === 'integer' && !Number.isInteger(raw)) bad()
      if (spec.min !== undefined && (raw as number) < spec.min) bad()
      if (spec.max !== undefined && (raw as number) > spec.max) bad()
    }
    if (spec.oneOf && !spec.oneOf.includes(raw as number | string)) bad()
    out[spec.name] = raw as number | string
  }
  return out
}

/** The value of a number parameter (validated before, so the cast is safe). */
export function num(values: ParamValues, name: string): number {
  return values[name] as number
}

/**
 * Parses the text of a `kplab.io/lb-params` annotation: a JSON object (empty text means `{}`).
 * Anything else throws a BalancerConfigError saying what was expected, for the proxy to report.
 */
export function parseLbParams(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new BalancerConfigError('params', `must be a JSON object such as {"choices": 3} (${(err as Error).message})`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BalancerConfigError('params', `must be a JSON object such as {"choices": 3} (got ${JSON.stringify(value)})`)
  }
  return value as Record<string, unknown>
}
