// Number formatting shared by the table and the markdown report.

/** A number for people: 4 significant digits, no exponent for everyday magnitudes, `–` when unmeasured. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–'
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞'
  if (Number.isInteger(x)) return String(x)
  const a = Math.abs(x)
  if (a >= 1e6 || a < 1e-3) return x.toExponential(2)
  return String(Number(x.toPrecision(4)))
}

/** A fraction as a percentage with one decimal. */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–'
}
