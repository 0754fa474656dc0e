// Cell formatting shared by the printers.
// upstream: pkg/printers/internalversion/printers.go and staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go

/** A field of a loosely typed object, as an object (empty when absent or not one). */
export function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}

/** A field as an array of objects (empty when absent). */
export function arr(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.map(obj) : []
}

/** A field as a string ('' when absent). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)
}

/** A field as a number (0 when absent), as Go's zero value would print. */
export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

/**
 * A duration as kubectl prints ages: `45s`, `3m20s`, `39m`, `5h10m`, `20h`, `5d3h`, `30d`, `2y`, `3y4d`.
 * upstream: staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go (HumanDuration)
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000)
  // upstream tolerates up to 2 s of clock skew as "now"
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = Math.trunc(seconds / 60)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = Math.trunc(minutes / 60)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365
    const y = Math.trunc(hours / 24 / 365)
    return dy === 0 ? `${y}y` : `${y}y${dy}d`
  }
  return `${Math.trunc(hours / 24 / 365)}y`
}

/** Age of an RFC 3339 timestamp at `now`; `<unknown>` when unset (upstream translateTimestampSince). */
export function translateTimestampSince(ts: unknown, now: number): string {
  const t = typeof ts === 'string' && ts !== '' ? Date.parse(ts) : NaN
  if (Number.isNaN(t)) return '<unknown>'
  return humanDuration(now - t)
}

/** `k=v,k2=v2` sorted by key; `<none>` when empty (upstream labels.FormatLabels). */
export function formatLabels(m: unknown): string {
  const entries = Object.entries(obj(m)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return entries.length ? entries.map(([k, v]) => `${k}=${str(v)}`).join(',') : '<none>'
}

/**
 * A LabelSelector (`matchLabels` + `matchExpressions`) as a selector string, requirements sorted by
 * key: `app=web,tier in (a,b),!legacy` (upstream metav1.LabelSelectorAsSelector(...).String()).
 */
export function formatLabelSelector(sel: unknown): string {
  const s = obj(sel)
  const reqs: [string, string][] = []
  for (const [k, v] of Object.entries(obj(s.matchLabels))) reqs.push([k, `${k}=${str(v)}`])
  for (const e of arr(s.matchExpressions)) {
    const k = str(e.key)
    const values = (Array.isArray(e.values) ? e.values.map(str) : []).sort()
    switch (e.operator) {
      case 'In':
        reqs.push([k, `${k} in (${values.join(',')})`])
        break
      case 'NotIn':
        reqs.push([k, `${k} notin (${values.join(',')})`])
        break
      case 'Exists':
        reqs.push([k, k])
        break
      case 'DoesNotExist':
        reqs.push([k, `!${k}`])
        break
      default:
        return '<invalid>'
    }
  }
  return reqs
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r)
    .join(',')
}

/** Container names and images of a pod template, comma-joined (upstream layoutContainerCells). */
export function layoutContainerCells(containers: unknown): [string, string] {
  const cs = arr(containers)
  return [cs.map((c) => str(c.name)).join(','), cs.map((c) => str(c.image)).join(',')]
}

/** `a,b,c + 2 more...` when more than max were listed; `<unset>` when none (upstream listWithMoreString). */
export function listWithMoreString(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',')
  if (more) return `${ret} + ${count - max} more...`
  return ret === '' ? '<unset>' : ret
}
