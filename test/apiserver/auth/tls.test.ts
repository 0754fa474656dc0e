import t from 'tap'
import { X509Certificate } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureServingCerts, sansFor } from '../../../src/apiserver/auth/tls.js'
import { hasCommand, requireCapability } from '../../support/env.js'

t.test('sansFor adds extra IPs and names once', async (t) => {
  const s = sansFor(['192.168.56.10', '127.0.0.1', 'master', '0.0.0.0'])
  t.ok(s.includes('IP:192.168.56.10'))
  t.ok(s.includes('DNS:master'))
  t.equal(s.filter((x) => x === 'IP:127.0.0.1').length, 1)
  t.notOk(s.includes('IP:0.0.0.0'))
})

t.test('makes a CA and a serving certificate once, then reuses them', async (t) => {
  if (!requireCapability(t, hasCommand('openssl'), 'openssl is not installed')) return
  const dir = t.testdir()
  const certs = await ensureServingCerts(dir, ['192.168.56.10'])
  const ca = new X509Certificate(certs.caCert)
  const leaf = new X509Certificate(certs.cert)
  t.ok(ca.ca, 'CA:TRUE')
  t.notOk(leaf.ca)
  t.ok(leaf.verify(ca.publicKey), 'signed by the CA')
  t.match(leaf.subjectAltName, /IP Address:127\.0\.0\.1/)
  t.match(leaf.subjectAltName, /DNS:localhost/)
  t.match(leaf.subjectAltName, /DNS:kubernetes\.default\.svc/)
  t.match(leaf.subjectAltName, /IP Address:192\.168\.56\.10/)
  t.ok(leaf.keyUsage?.includes('1.3.6.1.5.5.7.3.1'), 'extendedKeyUsage serverAuth')
  t.ok(leaf.checkPrivateKey((await import('node:crypto')).createPrivateKey(certs.key)))
  const again = await ensureServingCerts(dir, ['192.168.56.10'])
  t.equal(again.cert, certs.cert, 'reused')
  const moved = await ensureServingCerts(dir, ['192.168.56.20'])
  t.not(moved.cert, certs.cert, 'new SANs re-issue the leaf')
  t.equal(moved.caCert, certs.caCert, 'from the same CA')
  t.equal((await stat(join(dir, 'pki'))).mode & 0o777, 0o700)
})
