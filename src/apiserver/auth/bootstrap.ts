// First-start credentials: an admin token in DIR/tokens.csv and DIR/admin.kubeconfig pointing at
// the server with the CA inline (kubectl-surface.md §5).
import { randomBytes } from 'node:crypto'
import { access, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'yaml'

/** Where the admin credentials live and the token itself. */
export interface AdminCredentials {
  token: string
  tokensFile: string
  kubeconfigPath: string
}

/** User name and groups of the generated admin token. */
export const ADMIN_USER = { name: 'kplab-admin', uid: 'kplab-admin', groups: ['system:masters'] }

/** Reads the admin token from DIR/tokens.csv, creating the file with a fresh random token on first use. */
export async function ensureAdminToken(dataDir: string): Promise<{ token: string; tokensFile: string }> {
  const tokensFile = join(dataDir, 'tokens.csv')
  const have = await access(tokensFile).then(() => true, () => false)
  if (have) {
    const line = (await readFile(tokensFile, 'utf8')).split(/\r?\n/).find((l) => l.split(',')[1] === ADMIN_USER.name)
    const token = line?.split(',')[0]
    if (token) return { token, tokensFile }
  }
  const token = randomBytes(32).toString('base64url')
  const line = `${token},${ADMIN_USER.name},${ADMIN_USER.uid},"${ADMIN_USER.groups.join(',')}"\n`
  await writeFile(tokensFile, line, { mode: 0o600, flag: have ? 'a' : 'w' })
  return { token, tokensFile }
}

/** The admin kubeconfig (cluster `kplab`, user `kplab-admin`, namespace `default`). */
export function adminKubeconfig(server: string, caCertPem: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kplab', cluster: { server, 'certificate-authority-data': Buffer.from(caCertPem, 'utf8').toString('base64') } }],
    contexts: [{ name: 'kplab', context: { cluster: 'kplab', user: 'kplab-admin', namespace: 'default' } }],
    'current-context': 'kplab',
    users: [{ name: 'kplab-admin', user: { token } }],
  })
}

/** Writes DIR/admin.kubeconfig for the server URL (rewritten on every start: the port may change). */
export async function writeAdminKubeconfig(dataDir: string, server: string, caCertPem: string, token: string): Promise<string> {
  const path = join(dataDir, 'admin.kubeconfig')
  await writeFile(path, adminKubeconfig(server, caCertPem, token), { mode: 0o600 })
  return path
}
