// `kplab describe TYPE NAME…`: a readable description with related objects and events.
import type { Command } from 'commander'
import type { KubeObject } from '../../api/meta.js'
import { resourceByName, type ResourceInfo } from '../../api/registry.js'
import { UsageError } from '../../base/errors.js'
import type { RestClient } from '../../client/rest-client.js'
import { addKubeFlags, connect, processIo, type CliIo, type KubeFlags } from '../kube-flags.js'
import { describeObject } from '../printers/describe.js'
import { parseGetArgs } from './get.js'

/** Fetches what describing one object needs: the object, its events, and (Services) its EndpointSlices. */
export async function describeOne(client: RestClient, r: ResourceInfo, namespace: string | undefined, name: string, now: number): Promise<string> {
  const obj = await client.get(r, namespace, name)
  const events = resourceByName('events')!
  // upstream: kubectl/pkg/describe/describe.go (searchEvents: involvedObject name/namespace/kind/uid)
  const fields = [`involvedObject.name=${name}`, `involvedObject.kind=${r.kind}`]
  if (namespace) fields.push(`involvedObject.namespace=${namespace}`)
  if (obj.metadata.uid) fields.push(`involvedObject.uid=${obj.metadata.uid}`)
  let eventList: KubeObject[] = []
  try {
    eventList = (await client.listAll(events, { namespace, fieldSelector: fields.join(',') })).items
  } catch {
    // As kubectl: a failed event search still prints the description (Events: <none>).
  }
  let endpointSlices: KubeObject[] | undefined
  if (r.kind === 'Service' && r.group === '') {
    endpointSlices = (await client.listAll(resourceByName('endpointslices')!, { namespace, labelSelector: `kubernetes.io/service-name=${name}` })).items
  }
  return describeObject(r, obj, { events: eventList, endpointSlices, now })
}

/** Runs `describe`; several objects are separated by a blank line, as kubectl. */
export async function runDescribe(args: string[], flags: KubeFlags, io: CliIo, client: RestClient = connect(flags, io)): Promise<void> {
  try {
    const reqs = parseGetArgs(args)
    const out: string[] = []
    for (const { resource: r, names } of reqs) {
      if (names.length === 0) throw new UsageError(`describe needs a name: e.g. kplab describe ${r.singular} NAME`)
      for (const n of names) out.push(await describeOne(client, r, r.namespaced ? client.namespace : undefined, n, io.clock.now()))
    }
    io.out.write(out.join('\n\n'))
  } finally {
    client.close()
  }
}

/** Adds `describe` to the program. */
export function registerDescribe(program: Command): void {
  addKubeFlags(
    program
      .command('describe')
      .description('Show details of a resource, with its events (kubectl describe)')
      .argument('<type[/name]...>', 'TYPE NAME… or TYPE/NAME…'),
  ).action(async (args: string[], flags: KubeFlags) => runDescribe(args, flags, processIo()))
}
