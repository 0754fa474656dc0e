// The lab's HTTP load generator: a closed loop (C workers, each sending its next request when the
// last one answers) or an open loop (Poisson arrivals at a rate, whatever the answers do), with
// keep-alive on or off. It reads the echo image's JSON to learn which pod answered, so a run says
// how a Service spread its requests, with latency percentiles per pod. Experiments, the demo and
// `kplab curl` consume its LoadResult; `kplab loadgen --json` prints it inside a lab namespace.
import { Agent, request, type ClientRequest } from 'node:http'
import type { Socket } from 'node:net'
import type { Clock, TimerHandle } from '../base/clock.js'
import { UsageError } from '../base/errors.js'
import type { Rng } from '../base/rng.js'
import { LogHistogram } from '../sim/histogram.js'

/** Options of a load run; either `requests` or `durationMs` (or both) bound it. */
export interface LoadOptions {
  url: string
  /** Requests to send in total (default 100 unless durationMs is set). */
  requests?: number
  /** Stop issuing after this many milliseconds of the clock. */
  durationMs?: number
  /** Closed loop: workers, each with at most one request in flight (default 1). */
  concurrency?: number
  /** Open loop: mean arrivals per second (Poisson); set, it replaces the closed loop. */
  rate?: number
  /** Reuse connections (default true); off, every request opens and closes its own. */
  keepAlive?: boolean
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number
  clock: Clock
  /** Draws the open loop's inter-arrival times. */
  rng: Rng
  /** Called as each request ends, in completion order (`kplab curl` prints a line per answer). */
  onResponse?: (r: ResponseRecord) => void
  /** Aborting stops issuing; requests in flight are destroyed. */
  signal?: AbortSignal
}

/** One request's outcome. */
export interface ResponseRecord {
  /** 1-based issue order. */
  seq: number
  /** The pod that answered (echo's `pod`), '' when no pod answered. */
  pod: string
  node: string
  podIP: string
  /** HTTP status, 0 when the request failed before an answer. */
  status: number
  latencyMs: number
  /** Why it counts as an error: `HTTP 500`, `ECONNREFUSED`, `timeout`, …; absent when it succeeded. */
  error?: string
}

/** Latency summary in milliseconds (NaN when nothing was measured). */
export interface LatencySummary {
  count: number
  mean: number
  p50: number
  p90: number
  p99: number
  max: number
}

/** What one pod did in a run. */
export interface PodResult extends LatencySummary {
  node: string
  podIP: string
  /** Requests it answered with an error status. */
  errors: number
  /** Its fraction of the answered requests. */
  share: number
}

/** The JSON a run prints (`kplab loadgen --json`) and experiments read. */
export interface LoadResult {
  url: string
  loop: 'closed' | 'open'
  keepAlive: boolean
  concurrency: number
  /** Open loop's rate per second, 0 in a closed loop. */
  rate: number
  issued: number
  /** Answered with a status < 500 (a 5xx is an error even though a pod answered). */
  succeeded: number
  errors: number
  /** Errors by kind (`HTTP 500`, `ECONNRESET`, `timeout`). */
  errorKinds: Record<string, number>
  /** Connections opened (with keep-alive, at most the concurrency). */
  connections: number
  durationMs: number
  latency: LatencySummary
  /** Per answering pod, sorted by name. */
  pods: Record<string, PodResult>
  /** Points of the latency CDF (ms), for report charts. */
  latencyCdf: { value: number; fraction: number }[]
}

const CDF_QUANTILES = [0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1]

/** Checks the options, naming the flag to fix. */
export function validateLoadOptions(o: LoadOptions): void {
  let u: URL
  try {
    u = new URL(o.url)
  } catch {
    throw new UsageError(`invalid URL "${o.url}": give an absolute http:// URL, e.g. http://10.96.0.20/`)
  }
  if (u.protocol !== 'http:') throw new UsageError(`invalid URL "${o.url}": only http:// is supported`)
  const int = (v: number | undefined, flag: string, min: number): void => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new UsageError(`invalid value "${v}" for ${flag}: an integer ≥ ${min}`)
  }
  int(o.requests, '-n/--requests', 1)
  int(o.concurrency, '--concurrency', 1)
  int(o.timeoutMs, '--timeout', 1)
  if (o.durationMs !== undefined && !(o.durationMs > 0)) throw new UsageError(`invalid value "${o.durationMs / 1000}" for --duration: seconds > 0`)
  if (o.rate !== undefined && !(o.rate > 0 && Number.isFinite(o.rate))) throw new UsageError(`invalid value "${o.rate}" for --rate: requests per second > 0`)
}

/** Summarises a histogram of milliseconds. */
function summary(h: LogHistogram): LatencySummary {
  return { count: h.count, mean: h.mean(), p50: h.quantile(0.5), p90: h.quantile(0.9), p99: h.quantile(0.99), max: h.count ? h.max : Number.NaN }
}

/** Sends the load; resolves when every issued request has ended. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  validateLoadOptions(o)
  const keepAlive = o.keepAlive ?? true
  const open = o.rate !== undefined
  const concurrency = o.concurrency ?? 1
  const total = o.requests ?? (o.durationMs !== undefined ? Infinity : 100)
  const timeoutMs = o.timeoutMs ?? 10_000
  // One agent per run: its sockets are ours to count and to close at the end.
  const agent = new Agent({ keepAlive, maxSockets: open ? Infinity : concurrency })
  const sockets = new WeakSet<Socket>()
  let connections = 0
  const all = new LogHistogram(1e-3)
  const perPod = new Map<string, { h: LogHistogram; errors: number; node: string; podIP: string }>()
  const errorKinds: Record<string, number> = {}
  let issued = 0
  let succeeded = 0
  let errors = 0
  const startedAt = o.clock.hrtime()
  const deadline = o.durationMs !== undefined ? o.clock.now() + o.durationMs : Infinity
  const inFlight = new Set<ClientRequest>()
  const stopped = (): boolean => issued >= total || (!open && o.clock.now() >= deadline) || o.signal?.aborted === true

  const record = (r: ResponseRecord): void => {
    if (r.error) {
      errors++
      errorKinds[r.error] = (errorKinds[r.error] ?? 0) + 1
    } else {
      succeeded++
      all.record(r.latencyMs)
    }
    if (r.pod) {
      let p = perPod.get(r.pod)
      if (!p) perPod.set(r.pod, (p = { h: new LogHistogram(1e-3), errors: 0, node: r.node, podIP: r.podIP }))
      if (r.error) p.errors++
      else p.h.record(r.latencyMs)
    }
    o.onResponse?.(r)
  }

  /** One request; resolves (never rejects) once it has ended and been recorded. */
  const one = (): Promise<void> => {
    const seq = ++issued
    const t0 = o.clock.hrtime()
    const ms = (): number => Number(o.clock.hrtime() - t0) / 1e6
    return new Promise<void>((resolve) => {
      let done = false
      const finish = (r: Omit<ResponseRecord, 'seq' | 'latencyMs'>): void => {
        if (done) return
        done = true
        o.clock.clearTimeout(timer)
        inFlight.delete(req)
        record({ seq, latencyMs: ms(), ...r })
        resolve()
      }
      const req = request(o.url, { agent, method: 'GET' }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => {
          const status = res.statusCode ?? 0
          let who: { pod?: string; node?: string; podIP?: string } = {}
          try {
            who = JSON.parse(body) as typeof who
          } catch {
            // Not the echo image: still a valid answer, just with no pod to count it for.
          }
          finish({ pod: who.pod ?? '', node: who.node ?? '', podIP: who.podIP ?? '', status, error: status >= 500 ? `HTTP ${status}` : undefined })
        })
        res.on('error', (e: NodeJS.ErrnoException) => finish({ pod: '', node: '', podIP: '', status: 0, error: e.code ?? e.message }))
      })
      inFlight.add(req)
      req.on('socket', (s: Socket) => {
        if (!sockets.has(s)) {
          sockets.add(s)
          connections++
        }
      })
      req.on('error', (e: NodeJS.ErrnoException) => finish({ pod: '', node: '', podIP: '', status: 0, error: e.message === 'timeout' ? 'timeout' : (e.code ?? e.message) }))
      const timer: TimerHandle = o.clock.setTimeout(() => req.destroy(new Error('timeout')), timeoutMs)
      req.end()
    })
  }

  const onAbort = (): void => {
    for (const r of inFlight) r.destroy(new Error('aborted'))
  }
  o.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    if (open) await openLoop(o, o.rate!, stopped, one)
    else await Promise.all(Array.from({ length: concurrency }, async () => {
      while (!stopped()) await one()
    }))
  } finally {
    o.signal?.removeEventListener('abort', onAbort)
    agent.destroy()
  }
  const answered = [...perPod.values()].reduce((n, p) => n + p.h.count + p.errors, 0)
  const pods: Record<string, PodResult> = {}
  for (const [name, p] of [...perPod].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    pods[name] = { ...summary(p.h), count: p.h.count + p.errors, node: p.node, podIP: p.podIP, errors: p.errors, share: answered > 0 ? (p.h.count + p.errors) / answered : 0 }
  }
  return {
    url: o.url,
    loop: open ? 'open' : 'closed',
    keepAlive,
    concurrency: open ? 0 : concurrency,
    rate: o.rate ?? 0,
    issued,
    succeeded,
    errors,
    errorKinds,
    connections,
    durationMs: Number(o.clock.hrtime() - startedAt) / 1e6,
    latency: summary(all),
    pods,
    latencyCdf: all.count > 0 ? all.cdf(CDF_QUANTILES) : [],
  }
}

/**
 * Poisson arrivals: exponential gaps drawn from the injected RNG, each request started on the
 * clock's timer whatever the earlier ones are doing (an open loop does not slow down with the
 * server, which is what exposes queueing). Resolves when the last issued request has ended.
 */
function openLoop(o: LoadOptions, ratePerSecond: number, stopped: () => boolean, one: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const pending = new Set<Promise<void>>()
    const start = o.clock.now()
    const limit = o.durationMs ?? Infinity
    let finished = false
    let timer: TimerHandle | undefined
    // Exact arrival time (ms since start); timers fire at whole milliseconds, but the schedule keeps
    // the exact sum of gaps, so rounding never accumulates and the duration check is exact.
    let at = 0
    const end = (): void => {
      if (finished) return
      finished = true
      o.clock.clearTimeout(timer)
      void Promise.all(pending).then(() => resolve())
    }
    const next = (): void => {
      // Inverse transform of U(0,1): −ln(1−u)/λ, in ms.
      at += (-Math.log(1 - o.rng()) / ratePerSecond) * 1000
      if (at >= limit) return end()
      timer = o.clock.setTimeout(() => {
        if (stopped()) return end()
        const p = one()
        pending.add(p)
        void p.then(() => pending.delete(p))
        next()
      }, Math.max(0, Math.round(start + at - o.clock.now())))
    }
    o.signal?.addEventListener('abort', end, { once: true })
    if (stopped()) end()
    else next()
  })
}

/** One line of `kplab curl`: sequence, pod, node, status, latency. */
export function formatResponseLine(r: ResponseRecord): string {
  const who = r.pod ? `${r.pod}${r.node ? ` (${r.node})` : ''}` : '-'
  return `${String(r.seq).padStart(4)}  ${who.padEnd(36)} ${r.status === 0 ? '---' : String(r.status)}  ${r.latencyMs.toFixed(1).padStart(8)} ms${r.error ? `  ${r.error}` : ''}`
}

/** The per-pod summary table of a run (count, share, p50/p99, errors), as printed by curl and the demo. */
export function formatPodSummary(res: LoadResult): string {
  const rows = [['pod', 'node', 'count', 'share', 'p50 ms', 'p99 ms', 'errors']]
  const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–')
  for (const [name, p] of Object.entries(res.pods)) rows.push([name, p.node || '-', String(p.count), `${(p.share * 100).toFixed(1)}%`, f(p.p50), f(p.p99), String(p.errors)])
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  const lines = rows.map((r) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd())
  const unanswered = res.errors - Object.values(res.pods).reduce((n, p) => n + p.errors, 0)
  lines.push(
    `${res.issued} requests, ${res.succeeded} ok, ${res.errors} errors${unanswered > 0 ? ` (${unanswered} with no answer: ${Object.entries(res.errorKinds).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}; ` +
      `p50 ${f(res.latency.p50)} ms, p99 ${f(res.latency.p99)} ms; ${res.connections} connection${res.connections === 1 ? '' : 's'} (keep-alive ${res.keepAlive ? 'on' : 'off'})`,
  )
  return lines.join('\n') + '\n'
}
