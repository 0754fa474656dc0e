// Kubernetes resource quantities as numbers: CPU in millicores, everything else in base units.
// upstream: staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go (suffixes)
const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
}

/** A quantity string (`100m`, `1.5`, `64Mi`, `1e3`) as a plain number of base units; throws on garbage. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim())
  if (!m) throw new Error(`quantity "${q}" is not a Kubernetes quantity (examples: 100m, 2, 64Mi, 1G)`)
  const n = Number(m[1])
  if (m[2]) return n * 10 ** Number(m[2].slice(1))
  return n * SUFFIX[m[3] ?? '']!
}

/** CPU quantity in millicores, rounded up as upstream's MilliValue. */
export function milliCPU(q: string | number): number {
  return Math.ceil(parseQuantity(q) * 1000 - 1e-9)
}
