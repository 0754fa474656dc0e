// The serving certificate: on first start a CA and a server certificate signed by it are made with
// the `openssl` command (the only file that spawns it) and kept in DIR/pki; later starts reuse them.
// The server certificate is re-issued from the same CA when the wanted SANs change.
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile, access, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CommandError } from '../../base/errors.js'

/** The PEMs the HTTPS server and the kubeconfig need. */
export interface ServingCerts {
  caCert: string
  cert: string
  key: string
  /** Directory holding ca.crt, ca.key, apiserver.crt, apiserver.key. */
  dir: string
}

/** SANs every serving certificate carries (loopback and the in-cluster names of the `kubernetes` Service). */
export const BASE_SANS = ['IP:127.0.0.1', 'DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local']

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd }, (err, _stdout, stderr) => {
      if (!err) return resolve()
      const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : ((err as { code?: number }).code ?? null)
      const msg = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'openssl not found on PATH; install openssl (apt-get install openssl)' : String(stderr)
      reject(new CommandError(`openssl ${args[0]}`, typeof code === 'number' ? code : null, msg))
    })
  })
}

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false)
const isIPv4 = (s: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(s)

/** The SAN list for a server reachable at the given extra addresses or names. */
export function sansFor(extra: string[]): string[] {
  const out = [...BASE_SANS]
  for (const h of extra) {
    if (!h || h === '0.0.0.0') continue
    const san = isIPv4(h) ? `IP:${h}` : `DNS:${h}`
    if (!out.includes(san)) out.push(san)
  }
  return out
}

/**
 * Loads the CA and serving certificate from DIR/pki, creating them on first use (EC P-256 keys;
 * CA `basicConstraints=critical,CA:TRUE`; server `extendedKeyUsage=serverAuth` with the SANs).
 */
export async function ensureServingCerts(dataDir: string, extraHosts: string[] = []): Promise<ServingCerts> {
  const dir = join(dataDir, 'pki')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const sans = sansFor(extraHosts).join(',')
  if (!(await exists(join(dir, 'ca.crt'))) || !(await exists(join(dir, 'ca.key')))) {
    await openssl(
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650',
        '-subj', '/CN=kplab-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
      dir,
    )
    await rm(join(dir, 'apiserver.crt'), { force: true })
  }
  const sansFile = join(dir, 'apiserver.sans')
  const haveLeaf = (await exists(join(dir, 'apiserver.crt'))) && (await exists(join(dir, 'apiserver.key')))
  const sameSans = (await exists(sansFile)) && (await readFile(sansFile, 'utf8')) === sans
  if (!haveLeaf || !sameSans) {
    await openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=kube-apiserver'], dir)
    await writeFile(
      join(dir, 'apiserver.ext'),
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`,
    )
    await openssl(['x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'apiserver.crt', '-days', '825', '-extfile', 'apiserver.ext'], dir)
    await writeFile(sansFile, sans)
  }
  const [caCert, cert, key] = await Promise.all(['ca.crt', 'apiserver.crt', 'apiserver.key'].map((f) => readFile(join(dir, f), 'utf8')))
  return { caCert: caCert!, cert: cert!, key: key!, dir }
}
