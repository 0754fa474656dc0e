// Column alignment as Go's text/tabwriter does it, which is what kubectl's output goes through:
// a cell is text ended by a tab; the text after a line's last tab is not aligned.

/** Padding options: a column is max(widest cell + padding, minWidth) wide. */
export interface TabwriterOptions {
  minWidth: number
  padding: number
}

/** kubectl get's settings. upstream: cli-runtime/pkg/printers/tabwriter.go (minwidth 6, padding 3) */
export const GET_TABWRITER: TabwriterOptions = { minWidth: 6, padding: 3 }

/** kubectl describe's settings. upstream: kubectl/pkg/describe/describe.go (tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)) */
export const DESCRIBE_TABWRITER: TabwriterOptions = { minWidth: 0, padding: 2 }

/**
 * Aligns tab-separated lines. As in Go's tabwriter, a column's width is decided per block of
 * consecutive lines that all have a tab-terminated cell in that column.
 * upstream: go/src/text/tabwriter/tabwriter.go (format)
 */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const trailingNewline = text.endsWith('\n')
  const lines = (trailingNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'))
  const widths: number[][] = lines.map(() => [])
  const format = (col: number, start: number, end: number): void => {
    let i = start
    while (i < end) {
      if (lines[i]!.length - 1 <= col) {
        i++
        continue
      }
      let j = i
      let width = opts.minWidth
      while (j < end && lines[j]!.length - 1 > col) {
        width = Math.max(width, lines[j]![col]!.length + opts.padding)
        j++
      }
      for (let k = i; k < j; k++) widths[k]![col] = width
      format(col + 1, i, j)
      i = j
    }
  }
  format(0, 0, lines.length)
  const out = lines.map((cells, li) => cells.map((c, ci) => (ci < cells.length - 1 ? c.padEnd(widths[li]![ci]!) : c)).join(''))
  return out.join('\n') + (trailingNewline ? '\n' : '')
}
