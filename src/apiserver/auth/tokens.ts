// Static bearer-token authentication from a CSV file (`token,user,uid,"group1,group2"`).
// upstream: staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/tokenfile/tokenfile.go
import { createHash, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import { UsageError } from '../../base/errors.js'
import { unauthorized } from '../../api/errors.js'
import { sendStatus } from '../errors.js'

/** Who a token belongs to. */
export interface UserInfo {
  name: string
  uid: string
  groups: string[]
}

/** Paths answered without a token (as upstream allows anonymous health and version checks). */
export const UNAUTHENTICATED_PATHS = ['/healthz', '/livez', '/readyz', '/version']

interface Entry {
  digest: Buffer
  user: UserInfo
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/** Splits one CSV line, honouring double quotes (the groups column is quoted). */
function splitCsv(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"'
        i++
      } else quoted = !quoted
    } else if (c === ',' && !quoted) {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out.map((s) => s.trim())
}

/** Checks bearer tokens against a static list; comparisons take the same time whatever the token. */
export class TokenAuthenticator {
  private readonly entries: Entry[]

  constructor(users: { token: string; user: UserInfo }[]) {
    this.entries = users.map((u) => ({ digest: digest(u.token), user: u.user }))
  }

  /** Parses upstream's token CSV; `source` names the file in errors. */
  static fromCsv(text: string, source = 'token file'): TokenAuthenticator {
    const users: { token: string; user: UserInfo }[] = []
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '' || line.trimStart().startsWith('#')) return
      const [token, name, uid, groups] = splitCsv(line)
      if (!token || !name || !uid) throw new UsageError(`${source}:${i + 1}: need at least token,user,uid (e.g. s3cr3t,admin,admin,"system:masters")`)
      users.push({ token, user: { name, uid, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] } })
    })
    if (users.length === 0) throw new UsageError(`${source}: no tokens; add a line token,user,uid,"groups"`)
    return new TokenAuthenticator(users)
  }

  /** Reads and parses a token CSV file. */
  static async fromFile(path: string): Promise<TokenAuthenticator> {
    return TokenAuthenticator.fromCsv(await readFile(path, 'utf8'), path)
  }

  /** The user of an `Authorization` header value, or undefined when it carries no valid bearer token. */
  authenticate(header: string | undefined): UserInfo | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
    if (!m) return undefined
    const d = digest(m[1]!)
    let found: UserInfo | undefined
    // Compare against every entry so the time taken does not reveal which (or whether one) matched.
    for (const e of this.entries) if (timingSafeEqual(e.digest, d) && !found) found = e.user
    return found
  }
}

/** Rejects every request but the unauthenticated paths with a 401 Status unless it carries a valid token. */
export function installTokenAuth(app: FastifyInstance, auth: TokenAuthenticator): void {
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!
    if (UNAUTHENTICATED_PATHS.includes(path)) return
    if (auth.authenticate(req.headers.authorization)) return
    return sendStatus(reply, unauthorized().toStatus())
  })
}
