// `kplab get TYPE[/NAME] [NAME…]`: kubectl get's output from the server's Table, or -o yaml|json|name.
import type { Command } from 'commander'
import type { KubeList, KubeObject } from '../../api/meta.js'
import { groupVersion, resourceByName, type ResourceInfo } from '../../api/registry.js'
import { UsageError } from '../../base/errors.js'
import type { RestClient } from '../../client/rest-client.js'
import { isTable, type Table } from '../../client/table.js'
import { addKubeFlags, connect, processIo, type CliIo, type KubeFlags } from '../kube-flags.js'
import { asList, kindName, printJson, printYaml, resourceName } from '../printers/object.js'
import { printTable, tableFromObjects } from '../printers/table.js'

/** Flags of `get`. */
export interface GetFlags extends KubeFlags {
  allNamespaces?: boolean
  selector?: string
  fieldSelector?: string
  output?: string
}

const OUTPUTS = ['yaml', 'json', 'wide', 'name']

/** One resource type asked for, with the names given for it (none: list). */
export interface GetRequest {
  resource: ResourceInfo
  names: string[]
}

/** Parses `TYPE`, `TYPE NAME…`, `TYPE/NAME…` and `TYPE1,TYPE2` the way kubectl does. */
export function parseGetArgs(args: string[]): GetRequest[] {
  if (args.length === 0) throw new UsageError('you must specify the type of resource to get, e.g. `kplab get pods`')
  const lookup = (t: string): ResourceInfo => {
    const r = resourceByName(t)
    if (!r) throw new UsageError(`the server doesn't have a resource type "${t}"`)
    return r
  }
  if (args.some((a) => a.includes('/'))) {
    const out: GetRequest[] = []
    for (const a of args) {
      const [type, name] = a.split('/')
      if (!type || !name) throw new UsageError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kplab get pod/web'): "${a}"`)
      const r = lookup(type)
      const existing = out.find((g) => g.resource === r)
      if (existing) existing.names.push(name)
      else out.push({ resource: r, names: [name] })
    }
    return out
  }
  const [types, ...names] = args
  const list = types!.split(',').filter(Boolean).map(lookup)
  if (list.length > 1 && names.length > 0) throw new UsageError('names may only be given with a single resource type, or as TYPE/NAME')
  return list.map((resource) => ({ resource, names }))
}

/** Runs `get`; resolves when everything is printed. */
export async function runGet(args: string[], flags: GetFlags, io: CliIo, client: RestClient = connect(flags, io)): Promise<void> {
  if (flags.output && !OUTPUTS.includes(flags.output)) {
    throw new UsageError(`unable to match a printer suitable for the output format "${flags.output}", allowed formats are: ${OUTPUTS.join(',')}`)
  }
  try {
    const reqs = parseGetArgs(args)
    const namespace = flags.allNamespaces ? undefined : client.namespace
    const query = { labelSelector: flags.selector, fieldSelector: flags.fieldSelector }
    if (flags.output === 'yaml' || flags.output === 'json' || flags.output === 'name') {
      const objs: { r: ResourceInfo; obj: KubeObject }[] = []
      for (const { resource: r, names } of reqs) {
        const ns = r.namespaced ? namespace : undefined
        if (names.length > 0) {
          for (const n of names) objs.push({ r, obj: withKind(r, await client.get(r, ns ?? client.namespace, n)) })
        } else {
          const list: KubeList = await client.listAll(r, { namespace: ns, ...query })
          for (const o of list.items) objs.push({ r, obj: withKind(r, o) })
        }
      }
      if (flags.output === 'name') {
        io.out.write(objs.map(({ r, obj }) => `${resourceName(r, obj.metadata.name ?? '')}\n`).join(''))
        return
      }
      const single = reqs.length === 1 && reqs[0]!.names.length === 1
      const doc = single ? objs[0]!.obj : asList(objs.map((o) => o.obj))
      io.out.write(flags.output === 'json' ? printJson(doc) : printYaml(doc))
      return
    }

    let printed = 0
    for (const { resource: r, names } of reqs) {
      const ns = r.namespaced ? namespace : undefined
      const tables: Table[] = []
      if (names.length > 0) {
        for (const n of names) tables.push(toTable(await client.table(r, { namespace: ns ?? client.namespace, name: n }), io))
      } else {
        tables.push(toTable(await client.table(r, { namespace: ns, ...query }), io))
      }
      const table: Table = { ...tables[0]!, rows: tables.flatMap((t) => t.rows) }
      if (table.rows.length === 0) continue
      if (printed > 0) io.out.write('\n')
      io.out.write(
        printTable(table, {
          wide: flags.output === 'wide',
          withNamespace: flags.allNamespaces === true && r.namespaced,
          namePrefix: reqs.length > 1 ? `${kindName(r)}/` : undefined,
        }),
      )
      printed++
    }
    if (printed === 0) {
      const namespaced = reqs.some((q) => q.resource.namespaced)
      io.err.write(namespaced && !flags.allNamespaces ? `No resources found in ${client.namespace} namespace.\n` : 'No resources found\n')
    }
  } finally {
    client.close()
  }
}

// List items may leave apiVersion/kind out; kubectl fills them in for printing.
function withKind(r: ResourceInfo, o: KubeObject): KubeObject {
  return { apiVersion: groupVersion(r), kind: r.kind, ...o }
}

function toTable(body: unknown, io: CliIo): Table {
  if (isTable(body)) return body
  const b = body as KubeList | KubeObject
  const objs = Array.isArray((b as KubeList).items) ? (b as KubeList).items : [b as KubeObject]
  return tableFromObjects(objs, io.clock.now())
}

/** Adds `get` to the program. */
export function registerGet(program: Command): void {
  addKubeFlags(
    program
      .command('get')
      .description('Display one or many resources (kubectl get)')
      .argument('<type[/name]...>', 'TYPE, TYPE NAME…, TYPE/NAME… or TYPE1,TYPE2')
      .option('-A, --all-namespaces', 'list across all namespaces')
      .option('-l, --selector <selector>', 'label selector (e.g. app=web,tier!=db)')
      .option('--field-selector <selector>', 'field selector (e.g. spec.nodeName=node-1)')
      .option('-o, --output <format>', `output format: ${OUTPUTS.join('|')}`),
  ).action(async (args: string[], flags: GetFlags) => runGet(args, flags, processIo()))
}
