// Lease-based leader election, as client-go's leaderelection: candidates race to hold one
// coordination.k8s.io/v1 Lease; the holder renews it, the others take it over once it has not been
// renewed for leaseDuration. Only the holder runs the component's loops.
// upstream: staging/src/k8s.io/client-go/tools/leaderelection/leaderelection.go (tryAcquireOrRenew)
import { EventEmitter } from 'node:events'
import { StatusError } from '../api/errors.js'
import { rfc3339 } from '../api/object.js'
import { RESOURCES } from '../api/registry.js'
import type { Lease } from '../api/types.js'
import type { Clock } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import type { RestClient } from './rest-client.js'

const LEASES = RESOURCES.find((r) => r.plural === 'leases')!

/** Options of a LeaderElector (upstream's LeaderElectionConfig; durations in ms). */
export interface LeaderElectorOptions {
  client: Pick<RestClient, 'get' | 'create' | 'update'>
  clock: Clock
  /** Lease namespace (upstream: kube-system) and name (the component, e.g. kube-scheduler). */
  namespace: string
  name: string
  /** This candidate's identity (hostname + random suffix upstream). */
  identity: string
  /** How long a non-renewed lease stays valid for the others (default 15 s). */
  leaseDurationMs?: number
  /** The leader gives up when it could not renew for this long (default 10 s). */
  renewDeadlineMs?: number
  /** Time between attempts (default 2 s). */
  retryPeriodMs?: number
  logger?: Logger
}

/**
 * Campaigns for a Lease and runs `lead(signal)` while holding it; emits 'started' and 'stopped'.
 * The signal passed to `lead` aborts when leadership is lost.
 */
export class LeaderElector extends EventEmitter {
  private observedRenew = 0
  private observed?: Lease
  private leading = false
  private readonly log: Logger

  constructor(private readonly opts: LeaderElectorOptions) {
    super()
    this.log = opts.logger ?? silentLogger()
  }

  /** True while this candidate holds the lease. */
  isLeader(): boolean {
    return this.leading
  }

  /** The identity of the current holder as last observed. */
  leader(): string | undefined {
    return this.observed?.spec?.holderIdentity
  }

  /**
   * Campaigns until the signal aborts: acquires, runs `lead` with a signal that aborts on lost
   * leadership, then campaigns again. Resolves when `signal` aborts.
   */
  async run(signal: AbortSignal, lead: (signal: AbortSignal) => void | Promise<void>): Promise<void> {
    const retry = this.opts.retryPeriodMs ?? 2000
    const deadline = this.opts.renewDeadlineMs ?? 10_000
    while (!signal.aborted) {
      if (!(await this.attempt())) {
        if (!(await this.pause(retry, signal))) break
        continue
      }
      const term = new AbortController()
      const stopTerm = (): void => term.abort()
      signal.addEventListener('abort', stopTerm, { once: true })
      this.leading = true
      this.log.info({ lease: this.opts.name, identity: this.opts.identity }, 'became leader')
      this.emit('started')
      const work = Promise.resolve().then(() => lead(term.signal))
      let lastRenew = this.opts.clock.now()
      while (!term.signal.aborted) {
        if (!(await this.pause(retry, term.signal))) break
        if (await this.attempt()) lastRenew = this.opts.clock.now()
        else if (this.opts.clock.now() - lastRenew >= deadline || this.leader() !== this.opts.identity) term.abort()
      }
      signal.removeEventListener('abort', stopTerm)
      this.leading = false
      await work.catch((err) => this.log.error({ err: (err as Error).message }, 'leader work failed'))
      this.log.info({ lease: this.opts.name, identity: this.opts.identity }, 'stopped leading')
      this.emit('stopped')
      if (signal.aborted) await this.release()
    }
  }

  /** One acquire-or-renew round; true when this candidate holds the lease afterwards. */
  async attempt(): Promise<boolean> {
    const { client, clock, namespace, name, identity } = this.opts
    const durationS = Math.max(1, Math.round((this.opts.leaseDurationMs ?? 15_000) / 1000))
    const now = clock.now()
    try {
      let cur: Lease
      try {
        cur = await client.get<Lease>(LEASES, namespace, name)
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err
        const created = await client.create<Lease>(LEASES, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec: { holderIdentity: identity, leaseDurationSeconds: durationS, acquireTime: rfc3339(now), renewTime: rfc3339(now), leaseTransitions: 0 },
        })
        this.observe(created, now)
        return true
      }
      if (this.observed?.spec?.renewTime !== cur.spec?.renewTime || this.observed?.spec?.holderIdentity !== cur.spec?.holderIdentity) {
        this.observe(cur, now)
      }
      const holder = cur.spec?.holderIdentity
      const held = holder && holder !== identity
      // upstream: a lease held by someone else is valid until observedTime + leaseDuration, measured on
      // our own clock from when we saw it change (clock skew between candidates does not matter).
      const validMs = (cur.spec?.leaseDurationSeconds ?? durationS) * 1000
      if (held && this.observedRenew + validMs > now) return false
      const spec = { ...(cur.spec ?? {}) }
      if (holder !== identity) {
        spec.acquireTime = rfc3339(now)
        spec.leaseTransitions = (spec.leaseTransitions ?? 0) + (holder ? 1 : 0)
      }
      spec.holderIdentity = identity
      spec.leaseDurationSeconds = durationS
      spec.renewTime = rfc3339(now)
      const updated = await client.update<Lease>(LEASES, { ...cur, spec })
      this.observe(updated, now)
      return true
    } catch (err) {
      // A conflict means another candidate wrote first; anything else is retried the same way.
      this.log.debug({ err: (err as Error).message }, 'lease acquire/renew failed')
      return false
    }
  }

  private observe(lease: Lease, now: number): void {
    this.observed = lease
    this.observedRenew = now
  }

  private async release(): Promise<void> {
    try {
      const cur = await this.opts.client.get<Lease>(LEASES, this.opts.namespace, this.opts.name)
      if (cur.spec?.holderIdentity !== this.opts.identity) return
      // upstream ReleaseOnCancel: an empty holder lets the next candidate take over at once.
      await this.opts.client.update<Lease>(LEASES, { ...cur, spec: { ...cur.spec, holderIdentity: '', leaseDurationSeconds: 1 } })
    } catch {
      // Best effort: the lease expires on its own.
    }
  }

  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.opts.clock.sleep(ms, signal)
      return true
    } catch {
      return false
    }
  }
}

