import t from 'tap'
import { readFile } from 'node:fs/promises'
import { parse } from 'yaml'
import { ADMIN_USER, adminKubeconfig, ensureAdminToken, writeAdminKubeconfig } from '../../../src/apiserver/auth/bootstrap.js'
import { TokenAuthenticator } from '../../../src/apiserver/auth/tokens.js'

t.test('the admin token is created once and reused', async (t) => {
  const dir = t.testdir()
  const first = await ensureAdminToken(dir)
  t.match(first.token, /^[A-Za-z0-9_-]{43}$/)
  const again = await ensureAdminToken(dir)
  t.equal(again.token, first.token)
  const auth = TokenAuthenticator.fromCsv(await readFile(first.tokensFile, 'utf8'))
  t.same(auth.authenticate(`Bearer ${first.token}`), ADMIN_USER)
})

t.test('kubeconfig has the shape kubectl needs', async (t) => {
  const cfg = parse(adminKubeconfig('https://127.0.0.1:6443', '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n', 'tok'))
  t.equal(cfg['current-context'], 'kplab')
  t.equal(cfg.clusters[0].cluster.server, 'https://127.0.0.1:6443')
  t.equal(Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n')
  t.equal(cfg.users[0].user.token, 'tok')
  t.same(cfg.contexts[0].context, { cluster: 'kplab', user: 'kplab-admin', namespace: 'default' })
  const dir = t.testdir()
  const path = await writeAdminKubeconfig(dir, 'https://127.0.0.1:1', 'CA', 'tok')
  t.match(path, /admin\.kubeconfig$/)
  t.equal(parse(await readFile(path, 'utf8')).users[0].user.token, 'tok')
})
