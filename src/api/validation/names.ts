// Name, label, port and address checks with upstream's messages, each returning the list of
// problems (empty when valid) as upstream's validation helpers do.
// upstream: staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go
import { isIP, isIPv4, isIPv6 } from 'node:net'

/** upstream RegexError: the message, examples and the regex a reader can test against. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const ex = examples.length ? `(e.g. ${examples.map((e) => `'${e}', `).join(' or ')}` : '('
  return `${msg} ${ex}regex used for validation is '${fmt}')`
}

/** upstream MaxLenError. */
export const maxLenError = (n: number): string => `must be no more than ${n} characters`

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`)
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`)
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?'
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`)
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`)
const qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const labelValueFmt = `(${qualifiedNameFmt})?`
const labelValueRe = new RegExp(`^${labelValueFmt}$`)

/** upstream IsDNS1123Label (namespace names, container names, port names). */
export function isDNS1123Label(v: string): string[] {
  const errs: string[] = []
  if (v.length > 63) errs.push(maxLenError(63))
  if (!dns1123LabelRe.test(v)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        dns1123LabelFmt,
        'my-name',
        '123-abc',
      ),
    )
  }
  return errs
}

/** upstream IsDNS1123Subdomain (most object names). */
export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = []
  if (v.length > 253) errs.push(maxLenError(253))
  if (!dns1123SubdomainRe.test(v)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        dns1123SubdomainFmt,
        'example.com',
      ),
    )
  }
  return errs
}

/** upstream IsDNS1035Label (Service names: they become DNS labels that must start with a letter). */
export function isDNS1035Label(v: string): string[] {
  const errs: string[] = []
  if (v.length > 63) errs.push(maxLenError(63))
  if (!dns1035LabelRe.test(v)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035LabelFmt,
        'my-name',
        'abc-123',
      ),
    )
  }
  return errs
}

/** upstream IsQualifiedName (label and annotation keys: optional DNS-subdomain prefix and '/'). */
export function isQualifiedName(v: string): string[] {
  const errs: string[] = []
  const parts = v.split('/')
  let name: string
  if (parts.length === 1) name = parts[0]!
  else if (parts.length === 2) {
    const prefix = parts[0]!
    name = parts[1]!
    if (prefix.length === 0) errs.push('prefix part must be non-empty')
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`))
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]
  }
  if (name.length === 0) errs.push('name part must be non-empty')
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`)
  if (!qualifiedNameRe.test(name)) errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`)
  return errs
}

/** upstream IsValidLabelValue. */
export function isValidLabelValue(v: string): string[] {
  const errs: string[] = []
  if (v.length > 63) errs.push(maxLenError(63))
  if (!labelValueRe.test(v)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        labelValueFmt,
        'MyValue',
        'my_value',
        '12345',
      ),
    )
  }
  return errs
}

/** upstream IsValidPortName (IANA_SVC_NAME: named container and target ports). */
export function isValidPortName(v: string): string[] {
  const errs: string[] = []
  if (v.length > 15) errs.push(maxLenError(15))
  if (!/^[-a-z0-9]+$/.test(v)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  if (!/[a-z]/.test(v)) errs.push('must contain at least one letter (a-z)')
  if (v.includes('--')) errs.push('must not contain consecutive hyphens')
  if (v.startsWith('-') || v.endsWith('-')) errs.push('must not begin or end with a hyphen')
  return errs
}

/** upstream IsValidPortNum. */
export function isValidPortNum(v: unknown): string[] {
  return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535 ? [] : [inclusiveRangeError(1, 65535)]
}

/** upstream InclusiveRangeError. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`
}

/** upstream IsValidIP. */
export function isValidIP(v: string): string[] {
  return isIP(v) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']
}

/** upstream IsValidIPv4Address / IsValidIPv6Address by family. */
export function isValidIPOfFamily(v: string, family: 'IPv4' | 'IPv6'): string[] {
  const ok = family === 'IPv4' ? isIPv4(v) : isIPv6(v)
  return ok ? [] : [`must be a valid ${family} address`]
}

/** upstream IsValidCIDR. */
export function isValidCIDR(v: string): string[] {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(v)
  const bits = m ? isIP(m[1]!) : 0
  const ok = m !== null && bits !== 0 && Number(m[2]) <= (bits === 4 ? 32 : 128)
  return ok ? [] : ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*'
// Compiled once: validation runs on every write.
const envVarNameRe = new RegExp(`^${envVarNameFmt}$`)

/** upstream IsEnvVarName (C_IDENTIFIER-ish: letters, digits, '_', '-', '.', not starting with a digit). */
export function isEnvVarName(v: string): string[] {
  const fmt = envVarNameFmt
  if (envVarNameRe.test(v)) return []
  return [
    regexError(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
      fmt,
      'my.env-name',
      'MY_ENV.NAME',
      'MyEnvName1',
    ),
  ]
}

/** upstream IsValidPercent. */
export function isValidPercent(v: string): string[] {
  return /^[0-9]+%$/.test(v) ? [] : [regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%')]
}
