// Label selectors (string and object forms) and field selectors, as list and watch filter them.
// upstream: staging/src/k8s.io/apimachinery/pkg/labels/selector.go (lexer, parser, Requirement.Matches)
// and staging/src/k8s.io/apimachinery/pkg/fields/selector.go (splitTerm, escaping)
import { badRequest } from './errors.js'
import type { KubeObject } from './meta.js'
import type { ResourceInfo } from './registry.js'
import { isQualifiedName, isValidLabelValue } from './validation/names.js'

/** The operator of one label requirement. */
export type LabelOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'NotEquals' | 'GreaterThan' | 'LessThan'

/** One requirement of a label selector; requirements are ANDed. */
export interface LabelRequirement {
  key: string
  operator: LabelOperator
  /** Sorted; one value for Equals/NotEquals/GreaterThan/LessThan, none for Exists/DoesNotExist. */
  values: string[]
}

/** A parsed label selector: no requirements matches everything; `nothing` matches no object (a nil selector). */
export interface LabelSelector {
  requirements: LabelRequirement[]
  nothing?: boolean
}

/** A label selector object as received (`spec.selector` of workloads), before its operators are checked. */
export interface LabelSelectorInput {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}

function requirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const keyErrs = isQualifiedName(key)
  if (keyErrs.length) throw badRequest(`invalid label key "${key}": ${keyErrs.join('; ')}`)
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    throw badRequest(`for 'in', 'notin' operators, values set can't be empty (key "${key}")`)
  }
  if ((operator === 'Equals' || operator === 'NotEquals') && values.length !== 1) {
    throw badRequest(`exact-match compatibility requires one single value (key "${key}")`)
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length !== 0) {
    throw badRequest(`values set must be empty for exists and does not exist (key "${key}")`)
  }
  if (operator === 'GreaterThan' || operator === 'LessThan') {
    if (values.length !== 1) throw badRequest(`for 'Gt', 'Lt' operators, exactly one value is required (key "${key}")`)
    if (!/^-?\d+$/.test(values[0]!)) throw badRequest(`for 'Gt', 'Lt' operators, the value must be an integer (key "${key}")`)
  } else {
    for (const v of values) {
      const errs = isValidLabelValue(v)
      if (errs.length) throw badRequest(`invalid label value: "${v}": at key: "${key}": ${errs.join('; ')}`)
    }
  }
  return { key, operator, values: [...new Set(values)].sort() }
}

// upstream lexer: identifiers run until whitespace or one of these characters
const SPECIAL = new Set([' ', '\t', '\n', '\r', ',', '(', ')', '=', '!', '<', '>'])

type Token = { kind: 'id' | 'op' | 'end'; text: string }

function lex(s: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    const two = s.slice(i, i + 2)
    if (two === '==' || two === '!=') {
      out.push({ kind: 'op', text: two })
      i += 2
    } else if (SPECIAL.has(c)) {
      out.push({ kind: 'op', text: c })
      i++
    } else {
      let j = i
      while (j < s.length && !SPECIAL.has(s[j]!)) j++
      out.push({ kind: 'id', text: s.slice(i, j) })
      i = j
    }
  }
  out.push({ kind: 'end', text: '' })
  return out
}

/** Parses the string form (`app=web,tier!=db,env in (a,b),!legacy`); throws a 400 StatusError naming the problem. */
export function parseLabelSelector(s: string): LabelSelector {
  const toks = lex(s)
  let pos = 0
  const peek = (): Token => toks[pos]!
  const next = (): Token => toks[pos++]!
  const fail = (found: Token, expected: string): never => {
    const what = found.kind === 'end' ? 'EOS' : found.text
    throw badRequest(`unable to parse requirement: found '${what}', expected: ${expected} (in label selector "${s}")`)
  }
  const values = (): string[] => {
    if (next().text !== '(') fail(toks[pos - 1]!, "'('")
    const out: string[] = []
    // upstream: "()" is a set holding the empty value
    if (peek().text === ')') {
      next()
      return ['']
    }
    for (;;) {
      const t = peek()
      if (t.kind === 'id') {
        out.push(next().text)
      } else if (t.text === ',' || t.text === ')') out.push('')
      else fail(t, "',', ')' or identifier")
      const sep = next()
      if (sep.text === ')') return out
      if (sep.text !== ',') fail(sep, "',' or ')'")
    }
  }
  const reqs: LabelRequirement[] = []
  if (peek().kind === 'end') return { requirements: [] }
  for (;;) {
    let t = next()
    if (t.text === '!') {
      const key = next()
      if (key.kind !== 'id') fail(key, 'identifier')
      reqs.push(requirement(key.text, 'DoesNotExist', []))
    } else if (t.kind === 'id') {
      const key = t.text
      const op = peek()
      if (op.kind === 'end' || op.text === ',') reqs.push(requirement(key, 'Exists', []))
      else if (op.kind === 'id' && (op.text === 'in' || op.text === 'notin')) {
        next()
        reqs.push(requirement(key, op.text === 'in' ? 'In' : 'NotIn', values()))
      } else if (op.text === '=' || op.text === '==' || op.text === '!=' || op.text === '>' || op.text === '<') {
        next()
        // upstream: `a=` selects the empty value
        const v = peek().kind === 'id' ? next().text : ''
        const operator: LabelOperator = op.text === '!=' ? 'NotEquals' : op.text === '>' ? 'GreaterThan' : op.text === '<' ? 'LessThan' : 'Equals'
        reqs.push(requirement(key, operator, [v]))
      } else fail(op, "'=', '!=', '==', 'in', 'notin', '>' or '<'")
    } else fail(t, 'identifier')
    t = next()
    if (t.kind === 'end') break
    if (t.text !== ',') fail(t, "','")
  }
  return { requirements: reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) }
}

/** upstream LabelSelectorAsSelector: absent → nothing, `{}` → everything; a bad operator is a 400. */
export function labelSelectorFromObject(sel: LabelSelectorInput | null | undefined): LabelSelector {
  if (sel === null || sel === undefined) return { requirements: [], nothing: true }
  const reqs: LabelRequirement[] = []
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push(requirement(k, 'Equals', [v]))
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'In', NotIn: 'NotIn', Exists: 'Exists', DoesNotExist: 'DoesNotExist' } as const)[e.operator as 'In']
    if (!op) throw badRequest(`"${e.operator}" is not a valid label selector operator`)
    reqs.push(requirement(e.key, op, e.values ?? []))
  }
  return { requirements: reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) }
}

/** A selector matching exactly these labels (upstream labels.SelectorFromSet). */
export function selectorFromSet(set: Record<string, string>): LabelSelector {
  return labelSelectorFromObject({ matchLabels: set })
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key)
  const v = labels[r.key]
  switch (r.operator) {
    case 'In':
    case 'Equals':
      return has && r.values.includes(v!)
    case 'NotIn':
    case 'NotEquals':
      return !has || !r.values.includes(v!)
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
    case 'GreaterThan':
    case 'LessThan': {
      if (!has || !/^-?\d+$/.test(v!)) return false
      const n = Number(v)
      return r.operator === 'GreaterThan' ? n > Number(r.values[0]) : n < Number(r.values[0])
    }
  }
}

/** True when labels satisfy every requirement of the selector. */
export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  if (selector.nothing) return false
  const l = labels ?? {}
  return selector.requirements.every((r) => requirementMatches(r, l))
}

/** True when the selector matches every object (no requirements, not `nothing`). */
export function isEverything(selector: LabelSelector): boolean {
  return !selector.nothing && selector.requirements.length === 0
}

/** The canonical string form (sorted by key), parseable by parseLabelSelector; `nothing` has none and renders as ''. */
export function selectorToString(selector: LabelSelector): string {
  return selector.requirements
    .map((r) => {
      switch (r.operator) {
        case 'Equals':
          return `${r.key}=${r.values[0]}`
        case 'NotEquals':
          return `${r.key}!=${r.values[0]}`
        case 'In':
          return `${r.key} in (${r.values.join(',')})`
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`
        case 'Exists':
          return r.key
        case 'DoesNotExist':
          return `!${r.key}`
        case 'GreaterThan':
          return `${r.key}>${r.values[0]}`
        case 'LessThan':
          return `${r.key}<${r.values[0]}`
      }
    })
    .join(',')
}

/** One term of a field selector. */
export interface FieldRequirement {
  field: string
  operator: '=' | '!='
  value: string
}

/** A parsed field selector: terms ANDed; none matches everything. */
export interface FieldSelector {
  requirements: FieldRequirement[]
}

// upstream fields.splitTerm: the first operator found left to right wins; '\' escapes the next character
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++
      continue
    }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) {
        return { field: term.slice(0, i), operator: op === '!=' ? '!=' : '=', value: unescapeFieldValue(term.slice(i + op.length)) }
      }
    }
  }
  return undefined
}

function unescapeFieldValue(v: string): string {
  return v.replace(/\\(.)/g, '$1')
}

function escapeFieldValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => `\\${c}`)
}

/**
 * Parses a field selector (`metadata.name=web,status.phase!=Running`). With a resource, also
 * checks that each field is one the resource supports (400 `field label not supported: x`).
 */
export function parseFieldSelector(s: string, resource?: Pick<ResourceInfo, 'kind'>): FieldSelector {
  const requirements: FieldRequirement[] = []
  if (s.trim() !== '') {
    const terms: string[] = []
    let cur = ''
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '\\' && i + 1 < s.length) {
        cur += s[i]! + s[i + 1]!
        i++
      } else if (s[i] === ',') {
        terms.push(cur)
        cur = ''
      } else cur += s[i]
    }
    terms.push(cur)
    for (const term of terms) {
      // upstream fields.parseSelector skips empty terms (`a=b,,c=d`)
      if (term.trim() === '') continue
      const r = splitTerm(term.trim())
      if (!r || r.field === '') throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`)
      requirements.push(r)
    }
  }
  const sel = { requirements }
  if (resource) checkFieldSelector(sel, resource)
  return sel
}

/** The field selector's canonical string form. */
export function fieldSelectorToString(selector: FieldSelector): string {
  return selector.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',')
}

type Getter = (o: KubeObject) => unknown
const at =
  (...path: string[]): Getter =>
  (o) =>
    path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o)

// upstream: each kind's GetAttrs/ToSelectableFields (pkg/registry/<group>/<kind>/strategy.go)
const FIELDS: Record<string, Record<string, Getter>> = {
  Pod: {
    'spec.nodeName': at('spec', 'nodeName'),
    'spec.restartPolicy': at('spec', 'restartPolicy'),
    'spec.schedulerName': at('spec', 'schedulerName'),
    'spec.serviceAccountName': at('spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => at('spec', 'hostNetwork')(o) === true,
    'status.phase': at('status', 'phase'),
    'status.podIP': at('status', 'podIP'),
    'status.nominatedNodeName': at('status', 'nominatedNodeName'),
  },
  Event: {
    'involvedObject.kind': at('involvedObject', 'kind'),
    'involvedObject.namespace': at('involvedObject', 'namespace'),
    'involvedObject.name': at('involvedObject', 'name'),
    'involvedObject.uid': at('involvedObject', 'uid'),
    'involvedObject.apiVersion': at('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': at('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': at('involvedObject', 'fieldPath'),
    reason: at('reason'),
    reportingComponent: at('reportingComponent'),
    source: at('source', 'component'),
    type: at('type'),
  },
  Node: { 'spec.unschedulable': (o) => at('spec', 'unschedulable')(o) === true },
  Service: { 'spec.type': at('spec', 'type'), 'spec.clusterIP': at('spec', 'clusterIP') },
  Namespace: { 'status.phase': at('status', 'phase') },
  ReplicaSet: { 'status.replicas': at('status', 'replicas') },
}

/** The field labels a resource supports in field selectors. */
export function supportedFields(resource: Pick<ResourceInfo, 'kind'>): string[] {
  return ['metadata.name', 'metadata.namespace', ...Object.keys(FIELDS[resource.kind] ?? {})]
}

/** The selectable fields of obj as strings (missing → '', booleans → 'true'/'false'), as upstream's fields.Set. */
export function selectableFields(resource: Pick<ResourceInfo, 'kind'>, obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {
    'metadata.name': obj.metadata?.name ?? '',
    'metadata.namespace': obj.metadata?.namespace ?? '',
  }
  for (const [name, get] of Object.entries(FIELDS[resource.kind] ?? {})) {
    const v = get(obj)
    out[name] = v === undefined || v === null ? '' : String(v)
  }
  return out
}

/** Throws 400 `field label not supported: x` for the first field the resource does not support. */
export function checkFieldSelector(selector: FieldSelector, resource: Pick<ResourceInfo, 'kind'>): void {
  const supported = new Set(supportedFields(resource))
  for (const r of selector.requirements) if (!supported.has(r.field)) throw badRequest(`field label not supported: ${r.field}`)
}

/** True when obj satisfies every term; throws 400 for a field the resource does not support. */
export function matchesFields(selector: FieldSelector, resource: Pick<ResourceInfo, 'kind'>, obj: KubeObject): boolean {
  if (selector.requirements.length === 0) return true
  checkFieldSelector(selector, resource)
  const fields = selectableFields(resource, obj)
  return selector.requirements.every((r) => (r.operator === '=' ? fields[r.field] === r.value : fields[r.field] !== r.value))
}
