// A tiny seeded load generator for algorithm tests: requests arrive at a fixed rate, each takes its
// endpoint's service time (exponential, seeded), and the balancer sees onStart/onFinish as a proxy
// would report them. Not a test file itself (tap runs *.test.ts only).
import { FakeClock } from '../../src/base/clock.js'
import { seededRng, type Rng } from '../../src/base/rng.js'
import type { Balancer } from '../../src/lb/balancer.js'

/** What one run produced: requests per endpoint and the largest active count seen per endpoint. */
export interface LoadResult {
  counts: Map<string, number>
  maxActive: Map<string, number>
  /** Mean response time over all requests, in ms. */
  meanMs: number
}

/** Runs `requests` arrivals every `intervalMs`, with endpoint id → mean service time in ms. */
export function runLoad(
  balancer: Balancer,
  clock: FakeClock,
  meanMs: Record<string, number>,
  opts: { requests: number; intervalMs: number; seed: string; clientIP?: (i: number) => string; failing?: Set<string> },
): LoadResult {
  const rng: Rng = seededRng(opts.seed)
  const pending: { at: number; id: string; dur: number }[] = []
  const counts = new Map<string, number>()
  const maxActive = new Map<string, number>()
  const active = new Map<string, number>()
  let total = 0
  const finishDue = (now: number): void => {
    pending.sort((a, b) => a.at - b.at)
    while (pending.length > 0 && pending[0]!.at <= now) {
      const p = pending.shift()!
      active.set(p.id, active.get(p.id)! - 1)
      balancer.onFinish(p.id, { ok: !opts.failing?.has(p.id), durationMs: p.dur })
    }
  }
  for (let i = 0; i < opts.requests; i++) {
    clock.advance(opts.intervalMs)
    finishDue(clock.now())
    const ctx = opts.clientIP ? { clientIP: opts.clientIP(i) } : undefined
    const id = balancer.pick(ctx)
    if (id === undefined) throw new Error('no endpoint picked')
    balancer.onStart(id)
    const dur = -Math.log(1 - rng()) * meanMs[id]!
    total += dur
    pending.push({ at: clock.now() + dur, id, dur })
    counts.set(id, (counts.get(id) ?? 0) + 1)
    active.set(id, (active.get(id) ?? 0) + 1)
    maxActive.set(id, Math.max(maxActive.get(id) ?? 0, active.get(id)!))
  }
  return { counts, maxActive, meanMs: total / opts.requests }
}

/** `n` endpoint specs named e0, e1, … */
export function endpointIds(n: number): { id: string }[] {
  return Array.from({ length: n }, (_, i) => ({ id: `e${i}` }))
}

/** Counts how many of `keys` map to a different endpoint in `after` than in `before`. */
export function moved(before: Map<string, string>, after: Map<string, string>): number {
  let n = 0
  for (const [k, v] of before) if (after.get(k) !== v) n++
  return n
}

/** `n` client addresses spread over 10.0.0.0/8. */
export function clientIPs(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)
}
