// Prints a server-side Table as `kubectl get` does: uppercase headers, aligned columns, wide
// columns only with `-o wide`, a NAMESPACE column with `-A`, `kind/name` when several kinds print.
import type { KubeObject } from '../../api/meta.js'
import type { Table, TableColumnDefinition } from '../../client/table.js'
import { age } from './duration.js'
import { GET_TABWRITER, tabwrite } from './tabwriter.js'

/** How to print a Table. */
export interface TablePrintOptions {
  /** `-o wide`: include columns with priority > 0. */
  wide?: boolean
  /** `-A`: a leading NAMESPACE column, taken from each row's object. */
  withNamespace?: boolean
  /** Prefix for the name column (`pod/`), used when several kinds are printed together. */
  namePrefix?: string
  /** Leave out the header line (kubectl does after the first table of one kind). */
  noHeaders?: boolean
}

/**
 * The lines of a Table, each ending in a newline.
 * upstream: cli-runtime/pkg/printers/tableprinter.go (printTable, decorateTable)
 */
export function printTable(table: Table, opts: TablePrintOptions = {}): string {
  const cols = table.columnDefinitions
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => opts.wide || !c.priority)
  const nameCol = table.columnDefinitions.findIndex((c) => c.format === 'name')
  const lines: string[][] = []
  if (!opts.noHeaders) {
    const header = cols.map(({ c }) => c.name.toUpperCase())
    lines.push(opts.withNamespace ? ['NAMESPACE', ...header] : header)
  }
  for (const row of table.rows) {
    const cells = cols.map(({ i }) => {
      const text = cellText(row.cells[i])
      return i === nameCol && opts.namePrefix ? `${opts.namePrefix}${text}` : text
    })
    lines.push(opts.withNamespace ? [row.object?.metadata?.namespace ?? '', ...cells] : cells)
  }
  return tabwrite(lines.map((l) => `${l.join('\t')}\n`).join(''), GET_TABWRITER)
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>'
  if (typeof v === 'string') return v
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/**
 * kubectl's fallback when the server answers a plain object or list: NAME and AGE only.
 * upstream: kubectl/pkg/cmd/get/humanreadable_flags.go (default printer without a Table)
 */
export function tableFromObjects(objs: KubeObject[], now: number): Table {
  const columnDefinitions: TableColumnDefinition[] = [
    { name: 'Name', type: 'string', format: 'name' },
    { name: 'Age', type: 'string' },
  ]
  return {
    apiVersion: 'meta.k8s.io/v1',
    kind: 'Table',
    metadata: {},
    columnDefinitions,
    rows: objs.map((o) => ({ cells: [o.metadata.name, age(o.metadata.creationTimestamp, now)], object: { metadata: { name: o.metadata.name, namespace: o.metadata.namespace } } })),
  }
}
