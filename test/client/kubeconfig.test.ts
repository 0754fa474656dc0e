import t from 'tap'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { KubeconfigError, kubeconfigPaths, loadKubeconfig } from '../../src/client/kubeconfig.js'

const config = (o: { current?: string; server?: string; clusterName?: string; userName?: string; ctxName?: string; ns?: string; cluster?: Record<string, unknown>; user?: Record<string, unknown> } = {}): string =>
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    ...(o.current === undefined ? { 'current-context': o.ctxName ?? 'lab' } : o.current ? { 'current-context': o.current } : {}),
    clusters: [{ name: o.clusterName ?? 'lab', cluster: { server: o.server ?? 'https://127.0.0.1:6443', ...o.cluster } }],
    users: [{ name: o.userName ?? 'admin', user: o.user ?? { token: 'tok-a' } }],
    contexts: [{ name: o.ctxName ?? 'lab', context: { cluster: o.clusterName ?? 'lab', user: o.userName ?? 'admin', ...(o.ns ? { namespace: o.ns } : {}) } }],
  })

t.test('precedence: --kubeconfig, then KUBECONFIG, then ~/.kube/config', async (t) => {
  t.same(kubeconfigPaths({ explicitPath: '/x', kubeconfigEnv: '/a:/b', homeDir: '/h' }), { paths: ['/x'], mustExist: true })
  t.same(kubeconfigPaths({ kubeconfigEnv: '/a::/b:/a', homeDir: '/h' }), { paths: ['/a', '/b'], mustExist: false })
  t.same(kubeconfigPaths({ kubeconfigEnv: '', homeDir: '/h' }), { paths: [join('/h', '.kube', 'config')], mustExist: false })
  t.throws(() => kubeconfigPaths({}), KubeconfigError)
})

t.test('home default: server, token, context namespace', async (t) => {
  const home = t.testdir({ '.kube': { config: config({ ns: 'team' }) } })
  const c = loadKubeconfig({ homeDir: home })
  t.equal(c.server, 'https://127.0.0.1:6443')
  t.equal(c.token, 'tok-a')
  t.equal(c.namespace, 'team')
  t.equal(c.contextName, 'lab')
  t.equal(c.insecureSkipTLSVerify, false)
  t.equal(loadKubeconfig({ homeDir: home, namespace: 'other' }).namespace, 'other', '-n overrides the context namespace')
})

t.test('KUBECONFIG list: missing files skipped, first file wins per key and for current-context', async (t) => {
  const dir = t.testdir({
    a: config({ current: 'ctx-b', ctxName: 'lab', user: { token: 'from-a' } }),
    b: stringify({
      'current-context': 'ignored',
      clusters: [{ name: 'lab', cluster: { server: 'https://10.0.0.1:1' } }, { name: 'b', cluster: { server: 'https://127.0.0.2:6443' } }],
      users: [{ name: 'admin', user: { token: 'from-b' } }],
      contexts: [{ name: 'ctx-b', context: { cluster: 'b', user: 'admin' } }],
    }),
  })
  const env = [join(dir, 'missing'), join(dir, 'a'), join(dir, 'b')].join(':')
  const c = loadKubeconfig({ kubeconfigEnv: env })
  t.equal(c.contextName, 'ctx-b', 'current-context from the first file that sets it')
  t.equal(c.server, 'https://127.0.0.2:6443', 'cluster only defined in b')
  t.equal(c.token, 'from-a', 'user "admin" from a, the first file defining it')
  t.equal(c.namespace, 'default')
  const lab = loadKubeconfig({ kubeconfigEnv: env, context: 'lab' })
  t.equal(lab.server, 'https://127.0.0.1:6443', 'cluster "lab" from a, not b')
})

t.test('certificate files resolve relative to the kubeconfig; -data fields are base64', async (t) => {
  const dir = t.testdir({
    certs: { 'ca.crt': 'CA-PEM', 'c.crt': 'CERT-PEM', 'c.key': 'KEY-PEM', token: 'file-token\n' },
    cfg: config({ cluster: { 'certificate-authority': 'certs/ca.crt' }, user: { tokenFile: 'certs/token', 'client-certificate': 'certs/c.crt', 'client-key-data': Buffer.from('KEY-DATA').toString('base64') } }),
  })
  const c = loadKubeconfig({ explicitPath: join(dir, 'cfg') })
  t.equal(c.ca?.toString(), 'CA-PEM')
  t.equal(c.cert?.toString(), 'CERT-PEM')
  t.equal(c.key?.toString(), 'KEY-DATA')
  t.equal(c.token, 'file-token')
  const d2 = t.testdir({ cfg: config({ cluster: { 'certificate-authority-data': Buffer.from('CA-DATA').toString('base64') } }) })
  t.equal(loadKubeconfig({ explicitPath: join(d2, 'cfg') }).ca?.toString(), 'CA-DATA')
})

t.test('credentials are not used over plain http, as kubectl', async (t) => {
  const dir = t.testdir({ cfg: config({ server: 'http://127.0.0.1:8080' }) })
  t.equal(loadKubeconfig({ explicitPath: join(dir, 'cfg') }).token, undefined)
})

t.test('clear errors name the file and the field', async (t) => {
  const dir = t.testdir({
    noserver: stringify({ 'current-context': 'x', clusters: [{ name: 'c', cluster: {} }], contexts: [{ name: 'x', context: { cluster: 'c' } }] }),
    nocurrent: config({ current: '' }),
    both: config({ cluster: { 'insecure-skip-tls-verify': true, 'certificate-authority-data': 'QQ==' } }),
    badca: config({ cluster: { 'certificate-authority': 'nope.crt' } }),
    nouser: stringify({ 'current-context': 'x', clusters: [{ name: 'c', cluster: { server: 'https://h:1' } }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'ghost' } }] }),
    badyaml: 'clusters: [',
    exec: config({ user: { exec: { command: 'gke-gcloud-auth-plugin' } } }),
  })
  const f = (n: string): string => join(dir, n)
  t.throws(() => loadKubeconfig({ explicitPath: f('absent') }), { message: /absent does not exist/ })
  t.throws(() => loadKubeconfig({ explicitPath: f('noserver') }), { message: new RegExp(`${f('noserver')}: cluster "c" has no server field`) })
  t.throws(() => loadKubeconfig({ explicitPath: f('nocurrent') }), { message: /has no current-context.*--context/ })
  t.throws(() => loadKubeconfig({ explicitPath: f('nocurrent'), context: 'nope' }), { message: /context "nope" does not exist.*known contexts: lab/ })
  t.throws(() => loadKubeconfig({ explicitPath: f('both') }), { message: /specifying a root certificates file with the insecure flag is not allowed/ })
  t.throws(() => loadKubeconfig({ explicitPath: f('badca') }), { message: /certificate-authority .*nope\.crt cannot be read: ENOENT/ })
  t.throws(() => loadKubeconfig({ explicitPath: f('nouser') }), { message: /names user "ghost", which is not in users/ })
  t.throws(() => loadKubeconfig({ explicitPath: f('badyaml') }), { message: /is not valid YAML/ })
  t.throws(() => loadKubeconfig({ explicitPath: f('exec') }), { message: /user "admin" uses exec credentials, which kplab does not run/ })
  t.throws(() => loadKubeconfig({ kubeconfigEnv: f('absent') }), { message: /no kubeconfig file found/ })
})

t.test('insecure-skip-tls-verify without a CA is allowed', async (t) => {
  const dir = t.testdir({ cfg: config({ cluster: { 'insecure-skip-tls-verify': true } }) })
  const c = loadKubeconfig({ explicitPath: join(dir, 'cfg') })
  t.equal(c.insecureSkipTLSVerify, true)
  t.equal(c.ca, undefined)
})
