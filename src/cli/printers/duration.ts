// Ages as kubectl prints them (`39s`, `5m`, `2d3h`, `<unknown>`).

import { humanDuration } from '../../apiserver/table/format.js'

// One HumanDuration for server Tables and client printers.
export { humanDuration }

/** The age of an RFC 3339 timestamp at `now` (ms), or `<unknown>` when there is none. */
export function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>'
  const t = Date.parse(timestamp)
  if (Number.isNaN(t)) return '<unknown>'
  return humanDuration(now - t)
}
