import type { KubeObject } from '../../api/meta.js'
import type { ResourceInfo } from '../../api/registry.js'
import { eventPrinter, leasePrinter, namespacePrinter, nodePrinter } from './cluster.js'
import { translateTimestampSince } from './format.js'
import { podPrinter } from './pod.js'
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './service.js'
import { AGE_COLUMN, NAME_COLUMN, type PartialObjectMetadata, type Printer, type Table, type TableRow } from './types.js'
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter } from './workloads.js'

export type { Table, TableColumnDefinition, TableRow, PartialObjectMetadata } from './types.js'

/** What each row carries: nothing, PartialObjectMetadata (default) or the full object. */
export type IncludeObject = 'None' | 'Metadata' | 'Object'

/** Options of toTable. */
export interface ToTableOptions {
  /** Milliseconds since the epoch (from the injected Clock), for the Age cells. */
  now: number
  includeObject?: IncludeObject
  resourceVersion?: string
  continueToken?: string
}

const PRINTERS: Record<string, Printer> = {
  Pod: podPrinter,
  Service: servicePrinter,
  Endpoints: endpointsPrinter,
  EndpointSlice: endpointSlicePrinter,
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
  DaemonSet: daemonSetPrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  Event: eventPrinter,
  Lease: leasePrinter,
}

// upstream: staging/src/k8s.io/apiserver/pkg/registry/rest/table.go (defaultTableConvertor), with Age
// instead of "Created At" so unknown kinds read like the others.
const genericPrinter: Printer = {
  columns: [NAME_COLUMN, AGE_COLUMN],
  row: (o, now) => {
    const meta = (o.metadata ?? {}) as Record<string, unknown>
    return { cells: [meta.name ?? '', translateTimestampSince(meta.creationTimestamp, now)] }
  },
}

/** The printer (columns + row function) used for a kind; Name/Age for kinds without one. */
export function printerFor(kind: string): Printer {
  return PRINTERS[kind] ?? genericPrinter
}

function rowObject(r: ResourceInfo, o: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined
  if (include === 'Object') return { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, ...o }
  const partial: PartialObjectMetadata = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata }
  return partial
}

/**
 * Renders objects of one resource as a meta.k8s.io/v1 Table with upstream's columns and cell
 * formatting (all columns, as the server always prints wide; kubectl hides priority-1 ones).
 * upstream: pkg/printers/internalversion/printers.go (AddHandlers)
 */
export function toTable(resource: ResourceInfo, objects: KubeObject[], opts: ToTableOptions): Table {
  const printer = printerFor(resource.kind)
  const include = opts.includeObject ?? 'Metadata'
  const rows: TableRow[] = objects.map((o) => {
    const { cells, conditions } = printer.row(o as Record<string, unknown>, opts.now)
    const row: TableRow = { cells }
    if (conditions) row.conditions = conditions
    const object = rowObject(resource, o, include)
    if (object !== undefined) row.object = object
    return row
  })
  const metadata: Table['metadata'] = {}
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion
  if (opts.continueToken) metadata.continue = opts.continueToken
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: printer.columns.map((c) => ({ ...c })), rows }
}

/** The Accept media type upstream sends back with a Table. */
export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io'

/** True when an Accept header asks for a Table (`as=Table;g=meta.k8s.io;v=v1|v1beta1`), as `kubectl get` does. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false
  return accept.split(',').some((mediaType) => {
    const params = new Map<string, string>()
    for (const p of mediaType.split(';').slice(1)) {
      const [k, v] = p.split('=')
      if (k && v !== undefined) params.set(k.trim().toLowerCase(), v.trim())
    }
    return params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io' && (params.get('v') === 'v1' || params.get('v') === 'v1beta1')
  })
}

/** Parses the `includeObject` query parameter; Metadata when absent or unknown. */
export function parseIncludeObject(v: unknown): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata'
}
