// The server-side Table (meta.k8s.io/v1) that `kubectl get` asks for, and the Accept header that asks.

/** kubectl's Accept for human `get` output: a Table if the server can, else plain JSON. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'

/** One column of a Table; priority 0 columns are shown by default, higher ones with `-o wide`. */
export interface TableColumnDefinition {
  name: string
  type: string
  format?: string
  description?: string
  priority?: number
}

/** One row: cells in column order, and the object (PartialObjectMetadata by default). */
export interface TableRow {
  cells: unknown[]
  object?: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } }
}

/** A `kind: Table` response. */
export interface Table {
  apiVersion: string
  kind: 'Table'
  metadata: { resourceVersion?: string; continue?: string }
  columnDefinitions: TableColumnDefinition[]
  rows: TableRow[]
}

/** True when a response body is a Table (servers may ignore the Table Accept and send a plain object or list). */
export function isTable(body: unknown): body is Table {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Table'
}
