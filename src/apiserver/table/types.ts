import type { ObjectMeta } from '../../api/meta.js'

/** One column of a Table (meta.k8s.io/v1 TableColumnDefinition; every field is always sent, as upstream does). */
export interface TableColumnDefinition {
  name: string
  /** OpenAPI type of the cells: string, integer, number, boolean, date. */
  type: string
  /** `name` on the Name column (kubectl prints `pod/web` in multi-type output), else ''. */
  format: string
  description: string
  /** 0 = always shown, 1 = only with `-o wide`. */
  priority: number
}

/** A row condition (upstream marks Succeeded/Failed pods with `Completed`). */
export interface TableRowCondition {
  type: string
  status: string
  reason?: string
  message?: string
}

/** The object carried by a row: PartialObjectMetadata by default, the full object on request. */
export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata'
  apiVersion: 'meta.k8s.io/v1'
  metadata: ObjectMeta
}

/** One row of a Table. */
export interface TableRow {
  cells: unknown[]
  conditions?: TableRowCondition[]
  object?: unknown
}

/** A meta.k8s.io/v1 Table, what `kubectl get` prints. */
export interface Table {
  kind: 'Table'
  apiVersion: 'meta.k8s.io/v1'
  metadata: { resourceVersion?: string; continue?: string }
  columnDefinitions: TableColumnDefinition[]
  rows: TableRow[]
}

/** Columns and cells of one kind; `row` is pure (now = the Table's clock in ms). */
export interface Printer {
  columns: TableColumnDefinition[]
  row(obj: Record<string, unknown>, now: number): { cells: unknown[]; conditions?: TableRowCondition[] }
}

/** A column definition with upstream's defaults filled in. */
export function col(name: string, type: string, description: string, opts: { priority?: number; format?: string } = {}): TableColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 }
}

/** upstream: metav1.ObjectMeta{}.SwaggerDoc()["name"], shortened. */
export const NAME_COLUMN = col('Name', 'string', 'Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', {
  format: 'name',
})

/** upstream: metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"], shortened. */
export const AGE_COLUMN = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.')
