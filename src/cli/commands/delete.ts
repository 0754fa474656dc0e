// `kplab delete TYPE NAME… | TYPE/NAME… | -f FILE`: deletes objects, printing `pod "a" deleted`.
import type { Command } from 'commander'
import { StatusError } from '../../api/errors.js'
import type { ResourceInfo } from '../../api/registry.js'
import { UsageError } from '../../base/errors.js'
import type { RestClient } from '../../client/rest-client.js'
import { formatCliError } from '../errors.js'
import { addKubeFlags, connect, processIo, type CliIo, type KubeFlags } from '../kube-flags.js'
import { readManifests } from '../manifests.js'
import { kindName } from '../printers/object.js'
import { namespaceFor, readAll, resourceOfManifest } from './apply.js'
import { parseGetArgs } from './get.js'

/** Flags of `delete`. */
export interface DeleteFlags extends KubeFlags {
  filename?: string[]
  ignoreNotFound?: boolean
}

interface Target {
  r: ResourceInfo
  namespace: string | undefined
  name: string
}

/** Runs `delete`; continues past failures and throws the last one. */
export async function runDelete(args: string[], flags: DeleteFlags, io: CliIo, client: RestClient = connect(flags, io)): Promise<void> {
  try {
    const targets: Target[] = []
    const files = flags.filename ?? []
    if (files.length > 0) {
      if (args.length > 0) throw new UsageError('give either -f FILE or TYPE NAME, not both')
      const stdinText = files.includes('-') && io.stdin ? await readAll(io.stdin) : undefined
      for (const m of files.flatMap((f) => readManifests(f, stdinText))) {
        const r = resourceOfManifest(m)
        targets.push({ r, namespace: namespaceFor(r, m.object, flags.namespace, client.namespace), name: m.object.metadata.name! })
      }
    } else {
      for (const { resource: r, names } of parseGetArgs(args)) {
        if (names.length === 0) throw new UsageError(`resource(s) were provided, but no name was specified: e.g. kplab delete ${r.singular} NAME`)
        for (const name of names) targets.push({ r, namespace: r.namespaced ? client.namespace : undefined, name })
      }
    }
    let failure: unknown
    for (const t of targets) {
      try {
        await client.delete(t.r, t.namespace, t.name, { propagationPolicy: 'Background' })
        io.out.write(`${kindName(t.r)} "${t.name}" deleted\n`)
      } catch (err) {
        if (flags.ignoreNotFound && err instanceof StatusError && err.code === 404) continue
        if (failure !== undefined) io.err.write(`${formatCliError(failure)}\n`)
        failure = err
      }
    }
    if (failure !== undefined) throw failure
  } finally {
    client.close()
  }
}

/** Adds `delete` to the program. */
export function registerDelete(program: Command): void {
  addKubeFlags(
    program
      .command('delete')
      .description('Delete resources by type and name, or by manifest (kubectl delete)')
      .argument('[type[/name]...]', 'TYPE NAME… or TYPE/NAME…')
      .option('-f, --filename <file>', 'manifest file, directory, or - for stdin (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
      .option('--ignore-not-found', 'treat "not found" as success'),
  ).action(async (args: string[], flags: DeleteFlags) => runDelete(args, flags, processIo()))
}
