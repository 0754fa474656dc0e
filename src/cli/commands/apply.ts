// `kplab apply -f FILE`: create each object, or merge the manifest over the live one and PUT it
// with the live resourceVersion (retrying on conflict), printing created/configured/unchanged.
import type { Command } from 'commander'
import type { KubeObject } from '../../api/meta.js'
import { qualifiedResource, resourceForKind, type ResourceInfo } from '../../api/registry.js'
import { StatusError } from '../../api/errors.js'
import { UsageError } from '../../base/errors.js'
import type { RestClient } from '../../client/rest-client.js'
import { LAST_APPLIED, applyMerge, jsonEqual, withLastApplied } from '../apply-merge.js'
import { formatCliError } from '../errors.js'
import { addKubeFlags, connect, processIo, type CliIo, type KubeFlags } from '../kube-flags.js'
import { readManifests, type Manifest } from '../manifests.js'
import { resourceName } from '../printers/object.js'

/** Flags of `apply`. */
export interface ApplyFlags extends KubeFlags {
  filename?: string[]
}

/** How many times apply re-reads and retries after a 409 Conflict (kubectl tries 6 times in all). */
const CONFLICT_RETRIES = 5

/** The resource of a manifest object, or kubectl's "no matches for kind" error. */
export function resourceOfManifest(m: Manifest): ResourceInfo {
  const { apiVersion, kind, metadata } = m.object
  const r = resourceForKind(apiVersion ?? '', kind ?? '')
  if (!r) {
    throw new UsageError(`resource mapping not found for name: "${metadata.name}" namespace: "${metadata.namespace ?? ''}" from "${m.source}": no matches for kind "${kind}" in version "${apiVersion}"`)
  }
  return r
}

/**
 * The namespace an object goes to: its own, else `-n`, else the context's; a manifest namespace
 * that contradicts an explicit `-n` is refused, as kubectl refuses it.
 */
export function namespaceFor(r: ResourceInfo, obj: KubeObject, flagNamespace: string | undefined, defaultNamespace: string): string | undefined {
  if (!r.namespaced) return undefined
  const own = obj.metadata.namespace
  if (own && flagNamespace && own !== flagNamespace) {
    throw new UsageError(`the namespace from the provided object "${own}" does not match the namespace "${flagNamespace}". You must pass '--namespace=${own}' to perform this operation.`)
  }
  return own || flagNamespace || defaultNamespace
}

/** Applies one object; returns the verb kubectl prints. `warn` hears kubectl's warnings. */
export async function applyOne(
  client: RestClient,
  r: ResourceInfo,
  manifest: KubeObject,
  warn: (message: string) => void = () => {},
): Promise<'created' | 'configured' | 'unchanged'> {
  const ns = manifest.metadata.namespace
  const name = manifest.metadata.name!
  for (let attempt = 0; ; attempt++) {
    let live: KubeObject
    try {
      live = await client.get(r, ns, name)
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) {
        await client.create(r, withLastApplied(manifest), { namespace: ns, fieldManager: 'kubectl-client-side-apply' })
        return 'created'
      }
      throw err
    }
    if (attempt === 0 && !live.metadata.annotations?.[LAST_APPLIED]) {
      // upstream: kubectl/pkg/cmd/apply/apply.go (warningNoLastAppliedConfigAnnotation)
      warn(
        `resource ${qualifiedResource(r)}/${name} is missing the ${LAST_APPLIED} annotation which is required by kplab apply. kplab apply should only be used on resources created declaratively by kplab apply. The missing annotation will be patched automatically.`,
      )
    }
    const desired = applyMerge(live, manifest)
    if (jsonEqual(desired, live)) return 'unchanged'
    try {
      await client.update(r, desired, { fieldManager: 'kubectl-client-side-apply' })
      return 'configured'
    } catch (err) {
      if (err instanceof StatusError && err.code === 409 && attempt < CONFLICT_RETRIES) continue
      throw err
    }
  }
}

/** Runs `apply`: every object of every file, continuing past failures; throws the last failure. */
export async function runApply(flags: ApplyFlags, io: CliIo, client: RestClient = connect(flags, io)): Promise<void> {
  try {
    const files = flags.filename ?? []
    if (files.length === 0) throw new UsageError('must specify -f FILE (a manifest file, a directory, or - for stdin)')
    const stdinText = files.includes('-') && io.stdin ? await readAll(io.stdin) : undefined
    const manifests = files.flatMap((f) => readManifests(f, stdinText))
    if (manifests.length === 0) throw new UsageError(`no objects passed to apply (${files.join(', ')} holds no manifests)`)
    let failure: unknown
    for (const m of manifests) {
      try {
        const r = resourceOfManifest(m)
        const obj = structuredClone(m.object)
        const ns = namespaceFor(r, obj, flags.namespace, client.namespace)
        if (ns) obj.metadata.namespace = ns
        else delete obj.metadata.namespace
        const verb = await applyOne(client, r, obj, (msg) => io.err.write(`Warning: ${msg}\n`))
        io.out.write(`${resourceName(r, obj.metadata.name!)} ${verb}\n`)
      } catch (err) {
        if (failure !== undefined) io.err.write(`${formatCliError(failure)}\n`)
        failure = err
      }
    }
    if (failure !== undefined) throw failure
  } finally {
    client.close()
  }
}

/** Reads a stream to the end as text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

/** Adds `apply` to the program. */
export function registerApply(program: Command): void {
  addKubeFlags(
    program
      .command('apply')
      .description('Apply a configuration to resources from a file, directory or stdin (kubectl apply, client-side)')
      .option('-f, --filename <file>', 'manifest file, directory, or - for stdin (repeatable)', (v: string, prev: string[] = []) => [...prev, v]),
  ).action(async (flags: ApplyFlags) => runApply(flags, processIo()))
}
