// Loads a kubeconfig the way kubectl does: which files, how several files merge, which context,
// and how relative certificate paths resolve. The caller passes the environment in; this module
// reads files but never process.env.
import { readFileSync, existsSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { KplabError } from '../base/errors.js'

/** A kubeconfig that cannot be used: the message names the file and the missing or bad field. */
export class KubeconfigError extends KplabError {
  constructor(message: string) {
    super('EKUBECONFIG', message)
  }
}

/** Where to look for a kubeconfig and which parts of it to override (kubectl's flags and env). */
export interface KubeconfigSource {
  /** `--kubeconfig`: this one file only; it must exist. */
  explicitPath?: string
  /** The value of `KUBECONFIG`: a colon-separated list of files, missing ones skipped. */
  kubeconfigEnv?: string
  /** The home directory, for the default `~/.kube/config`. */
  homeDir?: string
  /** `--context`: use this context instead of current-context. */
  context?: string
  /** `-n/--namespace`: overrides the context's namespace. */
  namespace?: string
}

/** Everything a client needs to reach one API server, resolved from a kubeconfig. */
export interface ClientConfig {
  /** `https://127.0.0.1:6443` (no trailing slash). */
  server: string
  /** PEM CA bundle to trust, from certificate-authority(-data). */
  ca?: Buffer
  insecureSkipTLSVerify: boolean
  token?: string
  /** PEM client certificate and key, from client-certificate(-data) / client-key(-data). */
  cert?: Buffer
  key?: Buffer
  /** The namespace to use when none is given: `-n`, else the context's, else `default`. */
  namespace: string
  /** The context chosen, for messages. */
  contextName: string
}

interface Named<T> {
  name: string
  value: T
  /** The file that defined this entry: relative paths inside it resolve against its directory. */
  file: string
}

interface RawCluster {
  server?: string
  'certificate-authority'?: string
  'certificate-authority-data'?: string
  'insecure-skip-tls-verify'?: boolean
}

interface RawUser {
  token?: string
  tokenFile?: string
  'client-certificate'?: string
  'client-certificate-data'?: string
  'client-key'?: string
  'client-key-data'?: string
  exec?: unknown
  'auth-provider'?: unknown
}

interface RawContext {
  cluster?: string
  user?: string
  namespace?: string
}

/** A kubeconfig after merging its files; entries remember the file they came from. */
export interface MergedKubeconfig {
  files: string[]
  currentContext?: string
  clusters: Map<string, Named<RawCluster>>
  users: Map<string, Named<RawUser>>
  contexts: Map<string, Named<RawContext>>
}

/**
 * The files kubectl would read, in precedence order.
 * upstream: staging/src/k8s.io/client-go/tools/clientcmd/loader.go (ClientConfigLoadingRules)
 */
export function kubeconfigPaths(src: KubeconfigSource): { paths: string[]; mustExist: boolean } {
  if (src.explicitPath) return { paths: [src.explicitPath], mustExist: true }
  if (src.kubeconfigEnv) {
    const paths = [...new Set(src.kubeconfigEnv.split(':').filter((p) => p !== ''))]
    if (paths.length > 0) return { paths, mustExist: false }
  }
  if (!src.homeDir) throw new KubeconfigError('no kubeconfig: pass --kubeconfig FILE or set KUBECONFIG (no home directory to find ~/.kube/config)')
  return { paths: [join(src.homeDir, '.kube', 'config')], mustExist: false }
}

/** Reads and merges kubeconfig files: for every map entry and for current-context, the first file that sets it wins. */
export function mergeKubeconfigFiles(paths: string[], mustExist: boolean): MergedKubeconfig {
  const merged: MergedKubeconfig = { files: [], clusters: new Map(), users: new Map(), contexts: new Map() }
  for (const p of paths) {
    const file = resolve(p)
    if (!existsSync(file)) {
      if (mustExist) throw new KubeconfigError(`kubeconfig ${file} does not exist: check the --kubeconfig path`)
      continue
    }
    merged.files.push(file)
    let doc: unknown
    try {
      doc = parseYaml(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new KubeconfigError(`kubeconfig ${file} is not valid YAML: ${(err as Error).message}`)
    }
    if (doc === null || doc === undefined) continue
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new KubeconfigError(`kubeconfig ${file} must be a YAML mapping (kind: Config)`)
    const d = doc as Record<string, unknown>
    if (merged.currentContext === undefined && typeof d['current-context'] === 'string' && d['current-context'] !== '') {
      merged.currentContext = d['current-context']
    }
    addEntries(merged.clusters, d.clusters, 'cluster', file)
    addEntries(merged.users, d.users, 'user', file)
    addEntries(merged.contexts, d.contexts, 'context', file)
  }
  return merged
}

function addEntries<T>(into: Map<string, Named<T>>, list: unknown, field: string, file: string): void {
  if (list === undefined || list === null) return
  if (!Array.isArray(list)) throw new KubeconfigError(`kubeconfig ${file}: ${field}s must be a list of {name, ${field}}`)
  list.forEach((entry: unknown, i) => {
    const e = entry as Record<string, unknown> | null
    if (!e || typeof e.name !== 'string' || e.name === '') {
      throw new KubeconfigError(`kubeconfig ${file}: ${field}s[${i}].name is missing`)
    }
    if (!into.has(e.name)) into.set(e.name, { name: e.name, value: (e[field] ?? {}) as T, file })
  })
}

/** Loads the kubeconfig from the source's files and resolves the chosen context into a ClientConfig. */
export function loadKubeconfig(src: KubeconfigSource): ClientConfig {
  const { paths, mustExist } = kubeconfigPaths(src)
  const merged = mergeKubeconfigFiles(paths, mustExist)
  return resolveClientConfig(merged, src)
}

/** Picks the context (override or current-context) and turns its cluster and user into a ClientConfig. */
export function resolveClientConfig(merged: MergedKubeconfig, overrides: Pick<KubeconfigSource, 'context' | 'namespace'> = {}): ClientConfig {
  const where = merged.files.length > 0 ? merged.files.join(':') : 'no kubeconfig file found'
  const contextName = overrides.context || merged.currentContext
  if (!contextName) {
    throw new KubeconfigError(`kubeconfig (${where}) has no current-context: set current-context or pass --context NAME`)
  }
  const ctx = merged.contexts.get(contextName)
  if (!ctx) throw new KubeconfigError(`context "${contextName}" does not exist in kubeconfig (${where}): known contexts: ${[...merged.contexts.keys()].join(', ') || 'none'}`)
  const clusterName = ctx.value.cluster
  if (!clusterName) throw new KubeconfigError(`kubeconfig ${ctx.file}: context "${contextName}" has no cluster field`)
  const cluster = merged.clusters.get(clusterName)
  if (!cluster) throw new KubeconfigError(`kubeconfig ${ctx.file}: context "${contextName}" names cluster "${clusterName}", which is not in clusters`)
  const c = cluster.value
  if (!c.server) throw new KubeconfigError(`kubeconfig ${cluster.file}: cluster "${clusterName}" has no server field (e.g. server: https://127.0.0.1:6443)`)
  let server: URL
  try {
    server = new URL(c.server)
  } catch {
    throw new KubeconfigError(`kubeconfig ${cluster.file}: cluster "${clusterName}" server "${c.server}" is not a URL (e.g. https://127.0.0.1:6443)`)
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') {
    throw new KubeconfigError(`kubeconfig ${cluster.file}: cluster "${clusterName}" server "${c.server}" must start with https:// or http://`)
  }
  const insecure = c['insecure-skip-tls-verify'] === true
  const ca = pemOf(cluster.file, `cluster "${clusterName}"`, 'certificate-authority', c['certificate-authority'], c['certificate-authority-data'])
  if (insecure && ca) {
    // upstream: client-go/tools/clientcmd/validation.go (the same refusal kubectl prints)
    throw new KubeconfigError(`kubeconfig ${cluster.file}: cluster "${clusterName}": specifying a root certificates file with the insecure flag is not allowed; remove one of them`)
  }

  const out: ClientConfig = {
    server: c.server.replace(/\/+$/, ''),
    insecureSkipTLSVerify: insecure,
    namespace: overrides.namespace || ctx.value.namespace || 'default',
    contextName,
  }
  if (ca) out.ca = ca
  const userName = ctx.value.user
  // upstream: client-go/tools/clientcmd/client_config.go (ClientConfig: "only try to read the auth
  // information if we are secure") — kubectl never sends a token or client cert over plain http.
  if (userName && server.protocol === 'https:') {
    const user = merged.users.get(userName)
    if (!user) throw new KubeconfigError(`kubeconfig ${ctx.file}: context "${contextName}" names user "${userName}", which is not in users`)
    const u = user.value
    const what = `user "${userName}"`
    if (!u.token && !u.tokenFile && (u.exec || u['auth-provider'])) {
      // Credential plugins run programs; kplab's lab kubeconfigs use tokens or client certificates.
      throw new KubeconfigError(`kubeconfig ${user.file}: ${what} uses ${u.exec ? 'exec' : 'auth-provider'} credentials, which kplab does not run: give the user a token, tokenFile or client-certificate/client-key`)
    }
    if (u.token) out.token = u.token
    else if (u.tokenFile) out.token = readRelative(user.file, what, 'tokenFile', u.tokenFile).toString('utf8').trim()
    const cert = pemOf(user.file, what, 'client-certificate', u['client-certificate'], u['client-certificate-data'])
    const key = pemOf(user.file, what, 'client-key', u['client-key'], u['client-key-data'])
    if (cert && !key) throw new KubeconfigError(`kubeconfig ${user.file}: ${what} has client-certificate but no client-key(-data)`)
    if (key && !cert) throw new KubeconfigError(`kubeconfig ${user.file}: ${what} has client-key but no client-certificate(-data)`)
    if (cert) out.cert = cert
    if (key) out.key = key
  }
  return out
}

// `<field>-data` (base64 PEM) wins over `<field>` (a file path), as in client-go.
function pemOf(file: string, what: string, fieldName: string, path: string | undefined, data: string | undefined): Buffer | undefined {
  if (data) {
    const buf = Buffer.from(data, 'base64')
    if (buf.length === 0) throw new KubeconfigError(`kubeconfig ${file}: ${what} ${fieldName}-data is not base64 PEM`)
    return buf
  }
  if (path) return readRelative(file, what, fieldName, path)
  return undefined
}

function readRelative(file: string, what: string, fieldName: string, path: string): Buffer {
  // upstream: client-go/tools/clientcmd/loader.go (ResolveLocalPaths: relative to the defining file)
  const full = isAbsolute(path) ? path : resolve(dirname(file), path)
  try {
    return readFileSync(full)
  } catch (err) {
    throw new KubeconfigError(`kubeconfig ${file}: ${what} ${fieldName} ${full} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}
