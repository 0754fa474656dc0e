import t from 'tap'
import { matchExactly } from '../fixtures.js'
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidIPOfFamily,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
} from '../../../src/api/validation/names.js'

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

t.test('DNS-1123 labels, with upstream wording', async (t) => {
  t.same(isDNS1123Label('my-name'), [])
  t.same(isDNS1123Label('123-abc'), [])
  t.same(isDNS1123Label('My-Name'), [LABEL_MSG])
  t.same(isDNS1123Label('-a'), [LABEL_MSG])
  t.same(isDNS1123Label('a.b'), [LABEL_MSG])
  t.same(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters'])
})

t.test('DNS-1123 subdomains and DNS-1035 labels', async (t) => {
  t.same(isDNS1123Subdomain('example.com'), [])
  t.same(isDNS1123Subdomain('web-1.17a0'), [])
  matchExactly(t, isDNS1123Subdomain('Example.com'), [/^a lowercase RFC 1123 subdomain must consist of/])
  matchExactly(t, isDNS1123Subdomain('a..b'), [/regex used for validation is/])
  t.same(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters'])
  t.same(isDNS1035Label('web'), [])
  matchExactly(t, isDNS1035Label('1web'), [/^a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/])
})

t.test('qualified names (label keys)', async (t) => {
  for (const ok of ['app', 'kubernetes.io/hostname', 'node-role.kubernetes.io/control-plane', 'My_Key.1']) t.same(isQualifiedName(ok), [], ok)
  matchExactly(t, isQualifiedName('/app'), ['prefix part must be non-empty'])
  matchExactly(t, isQualifiedName('example.com/'), ['name part must be non-empty', /^name part must consist of/])
  matchExactly(t, isQualifiedName('Example.com/app'), [/^prefix part a lowercase RFC 1123 subdomain/])
  matchExactly(t, isQualifiedName('a/b/c'), [/^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e.g. 'example.com\/MyName'\)$/])
  t.same(isQualifiedName('x'.repeat(64)).slice(0, 1), ['name part must be no more than 63 characters'])
})

t.test('label values', async (t) => {
  for (const ok of ['', 'web', 'my_value', '12345', 'a.b-c']) t.same(isValidLabelValue(ok), [], JSON.stringify(ok))
  matchExactly(t, isValidLabelValue('-x'), [/^a valid label must be an empty string or consist of alphanumeric characters/])
  t.same(isValidLabelValue('v'.repeat(64)), ['must be no more than 63 characters'])
})

t.test('port names and numbers', async (t) => {
  t.same(isValidPortName('http'), [])
  t.same(isValidPortName('http-alt2'), [])
  t.same(isValidPortName('averyveryverylongname'), ['must be no more than 15 characters'])
  t.same(isValidPortName('HTTP'), ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)'])
  t.same(isValidPortName('8080'), ['must contain at least one letter (a-z)'])
  t.same(isValidPortName('a--b'), ['must not contain consecutive hyphens'])
  t.same(isValidPortName('-ab'), ['must not begin or end with a hyphen'])
  t.same(isValidPortNum(1), [])
  t.same(isValidPortNum(65535), [])
  for (const bad of [0, 65536, -1, 1.5, '80']) t.same(isValidPortNum(bad), ['must be between 1 and 65535, inclusive'], String(bad))
})

t.test('IPs, CIDRs, env names, percents', async (t) => {
  t.same(isValidIP('10.96.0.1'), [])
  t.same(isValidIP('2001:db8::1'), [])
  t.same(isValidIP('10.96.0'), ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'])
  t.same(isValidIPOfFamily('::1', 'IPv4'), ['must be a valid IPv4 address'])
  t.same(isValidIPOfFamily('::1', 'IPv6'), [])
  t.same(isValidCIDR('10.244.0.0/16'), [])
  t.same(isValidCIDR('2001:db8::/64'), [])
  for (const bad of ['10.244.0.0', '10.244.0.0/33', 'x/8', '::/129']) t.same(isValidCIDR(bad), ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'], bad)
  t.same(isEnvVarName('MY_ENV.NAME'), [])
  matchExactly(t, isEnvVarName('1X'), [/^a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit/])
  t.same(isValidPercent('25%'), [])
  matchExactly(t, isValidPercent('25'), [/^a valid percent string must be a numeric string followed by an ending '%'/])
})
