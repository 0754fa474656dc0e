// The iptables proxier: orchestration only. Desired state (service ports + endpoints, from the
// daemon's change trackers) → bounded-frequency runner → generateFromPorts (pure) → one
// iptables-restore → remember what is in the kernel. Deciding lives in generate.ts and plan.ts.
// upstream: pkg/proxy/iptables/proxier.go (Proxier, syncProxyRules, NewProxier's Monitor)
import { EventEmitter } from 'node:events'
import type { Clock, TimerHandle } from '../../base/clock.js'
import { silentLogger, type Logger } from '../../base/logger.js'
import { ChainNameCache } from './chain-name-cache.js'
import type { EndpointInfo, EndpointsMap } from './endpoints.js'
import { generateFromPorts } from './generate.js'
import type { IptablesMetrics } from './metrics.js'
import { withDefaults, type GeneratorOptions } from './options.js'
import { FULL_SYNC_PERIOD_MS, needsFullSync } from './plan.js'
import { RestoreError, type IptablesRunner, type IptablesTable } from './restore.js'
import { BoundedFrequencyRunner } from './runner.js'
import type { ServicePortInfo } from './service-port.js'

/** The chain upstream's ipt.Monitor creates to notice that someone flushed the tables. */
export const CANARY_CHAIN = 'KUBE-PROXY-CANARY'
// upstream: NewProxier → ipt.Monitor(kubeProxyCanaryChain, {mangle, nat, filter}, …)
const CANARY_TABLES: IptablesTable[] = ['mangle', 'nat', 'filter']

/** Ports and knobs of an IptablesProxier. */
export interface IptablesProxierOptions {
  iptables: IptablesRunner
  clock: Clock
  logger?: Logger
  metrics?: IptablesMetrics
  /** Node name, node IPs, masquerade bit, … (the generator's options). */
  generator?: Partial<GeneratorOptions>
  /** `--iptables-min-sync-period`, default 1 s. */
  minSyncPeriodMs?: number
  /** `--iptables-sync-period`, default 30 s: retry delay after a failure and the canary poll interval. */
  syncPeriodMs?: number
  /** Full resync period, default 1 h (upstream proxyutil.FullSyncPeriod). */
  fullSyncPeriodMs?: number
}

/** What one successful sync did (emitted as 'synced'). */
export interface SyncOutcome {
  full: boolean
  /** The iptables-restore input that was applied. */
  readonly payload: string
  /** `namespace/name` of Services whose chains this sync rewrote (all, for a full sync). */
  changedServices: string[]
  /** Chains this sync flushed and deleted. */
  staleChains: string[]
}

/** Per-Service fingerprints of what reaches the rules, split as upstream counts changes. */
interface Fingerprints {
  services: Map<string, string>
  endpoints: Map<string, string>
}

function keyDiff(a: Map<string, string>, b: Map<string, string>): Set<string> {
  const out = new Set<string>()
  for (const [k, v] of a) if (b.get(k) !== v) out.add(k)
  for (const k of b.keys()) if (!a.has(k)) out.add(k)
  return out
}

/**
 * kube-proxy's iptables mode. Events: 'synced' (SyncOutcome), 'syncFailed' (err, full),
 * 'notInitialized' when a sync was asked before both informers synced, 'canaryLost',
 * 'stateChanged' (service changes, endpoint changes) after each setState.
 */
export class IptablesProxier extends EventEmitter {
  private readonly ipt: IptablesRunner
  private readonly clock: Clock
  private readonly log: Logger
  private readonly gen: GeneratorOptions
  private readonly syncPeriodMs: number
  private readonly fullSyncPeriodMs: number
  private readonly runner: BoundedFrequencyRunner
  private readonly chainNames = new ChainNameCache()
  private ports: ServicePortInfo[] = []
  private endpoints: EndpointsMap = new Map()
  private current: Fingerprints = { services: new Map(), endpoints: new Map() }
  private synced: Fingerprints = { services: new Map(), endpoints: new Map() }
  private initialized = false
  private needFullSync = true
  private lastFullSyncAt = -Infinity
  private lastLargeClusterMode = false
  /** When the oldest endpoint change not yet in the kernel arrived (network programming latency). */
  private pendingSince: number | undefined
  private canaryTimer: TimerHandle | undefined
  private started = false

  constructor(private readonly o: IptablesProxierOptions) {
    super()
    this.ipt = o.iptables
    this.clock = o.clock
    this.log = o.logger ?? silentLogger()
    this.gen = withDefaults(o.generator ?? {})
    this.syncPeriodMs = o.syncPeriodMs ?? 30_000
    this.fullSyncPeriodMs = o.fullSyncPeriodMs ?? FULL_SYNC_PERIOD_MS
    // upstream: NewProxier → async.NewBoundedFrequencyRunner(minSyncPeriod, time.Hour, burstSyncs=2).
    // The periodic run comes 1 s after the full-sync period so that it is a full one even on a fake
    // clock, where timers fire exactly on time and "since last full sync > 1 h" would still be false.
    this.runner = new BoundedFrequencyRunner({
      name: 'sync-runner',
      fn: () => this.syncProxyRules(),
      minIntervalMs: o.minSyncPeriodMs ?? 1000,
      maxIntervalMs: this.fullSyncPeriodMs + 1000,
      burst: 2,
      clock: o.clock,
    })
    this.runner.on('failed', (e: Error) => this.log.error({ err: e.message }, 'sync loop error'))
  }

  /** Replaces the desired state (every service port and its endpoints) and asks for a sync. */
  setState(services: Iterable<ServicePortInfo>, endpointsOf: (servicePortName: string) => readonly EndpointInfo[]): void {
    const ports = [...services].sort((a, b) => (a.nameString < b.nameString ? -1 : a.nameString > b.nameString ? 1 : 0))
    const endpoints: EndpointsMap = new Map()
    const svcParts = new Map<string, string[]>()
    const epParts = new Map<string, string[]>()
    for (const p of ports) {
      const eps = [...endpointsOf(p.nameString)]
      if (eps.length > 0) endpoints.set(p.nameString, eps)
      // Only what the generator reads counts, so a label change is a no-op (as upstream's trackers).
      const { name: _n, ...portOnly } = p
      ;(svcParts.get(p.serviceKey) ?? svcParts.set(p.serviceKey, []).get(p.serviceKey)!).push(JSON.stringify(portOnly))
      ;(epParts.get(p.serviceKey) ?? epParts.set(p.serviceKey, []).get(p.serviceKey)!).push(`${p.nameString}=${JSON.stringify(eps)}`)
    }
    const next: Fingerprints = { services: new Map(), endpoints: new Map() }
    for (const [k, v] of svcParts) next.services.set(k, v.join('\n'))
    for (const [k, v] of epParts) next.endpoints.set(k, v.join('\n'))
    const svcChanges = keyDiff(this.current.services, next.services).size
    const epChanges = keyDiff(this.current.endpoints, next.endpoints).size
    this.o.metrics?.recordChanges(svcChanges, epChanges)
    if (epChanges > 0 && this.pendingSince === undefined) this.pendingSince = this.clock.now()
    this.ports = ports
    this.endpoints = endpoints
    this.current = next
    this.emit('stateChanged', svcChanges, epChanges)
    // upstream: handlers call Sync() only once isInitialized(), so no rate-limit token is spent early.
    if (svcChanges + epChanges > 0 && this.initialized) this.runner.run()
  }

  /** Both Service and EndpointSlice informers have synced: syncing may begin. */
  setInitialized(): void {
    if (this.initialized) return
    this.initialized = true
    this.runner.run()
  }

  /** Whether both informers have synced. */
  isInitialized(): boolean {
    return this.initialized
  }

  /** Creates the canaries, starts the runner and the canary monitor; does not touch KUBE- rules. */
  async start(): Promise<void> {
    if (this.started) return
    this.started = true
    for (const table of CANARY_TABLES) await this.ipt.ensureChain(table, CANARY_CHAIN)
    this.runner.start()
    this.armCanary()
    if (this.initialized) this.runner.run()
  }

  /** Stops timers. The rules stay in the kernel (only --cleanup removes them), as upstream. */
  stop(): void {
    this.started = false
    this.runner.stop()
    this.clock.clearTimeout(this.canaryTimer)
    this.canaryTimer = undefined
  }

  /** Asks for a sync now (rate limited). */
  requestSync(): void {
    this.runner.run()
  }

  private armCanary(): void {
    if (!this.started) return
    this.canaryTimer = this.clock.setTimeout(() => {
      void this.checkCanary().finally(() => this.armCanary())
    }, this.syncPeriodMs)
  }

  /**
   * Checks the canary chains (re-creating missing ones); when one was gone, someone flushed the
   * tables, so the next sync is full. Resolves true when all were present.
   */
  // upstream: pkg/util/iptables/monitor (Monitor polls mangle; we check all three, see issue #129128)
  async checkCanary(): Promise<boolean> {
    let intact = true
    for (const table of CANARY_TABLES) {
      try {
        if (!(await this.ipt.ensureChain(table, CANARY_CHAIN))) intact = false
      } catch (e) {
        this.log.warn({ err: (e as Error).message, table }, 'canary check failed')
      }
    }
    if (!intact) {
      this.log.info('iptables canary chain deleted: forcing a full sync')
      this.needFullSync = true
      this.emit('canaryLost')
      this.runner.run()
    }
    return intact
  }

  /** One sync (the runner calls it; tests may too). Never throws: failures schedule a full-sync retry. */
  async syncProxyRules(): Promise<void> {
    if (!this.initialized) {
      this.log.info('Not syncing iptables until Services and Endpoints have been received from master')
      this.emit('notInitialized')
      return
    }
    const startedAt = this.clock.hrtime()
    const full = needsFullSync({
      needFullSync: this.needFullSync,
      sinceLastFullSyncMs: this.clock.now() - this.lastFullSyncAt,
      fullSyncPeriodMs: this.fullSyncPeriodMs,
      largeClusterMode: this.lastLargeClusterMode,
    })
    const target = this.current
    const changed = new Set([...keyDiff(this.synced.services, target.services), ...keyDiff(this.synced.endpoints, target.endpoints)])
    try {
      // upstream: jump rules (and the chains they target) are ensured on full syncs only.
      if (full) await this.ipt.ensureJumpRules()
      const existing = chainNamesOf(await this.ipt.save('nat'))
      const result = generateFromPorts(this.ports, this.endpoints, this.gen, { full, changedServices: changed, existingNatChains: existing, chainNames: this.chainNames })
      await this.ipt.restore(result.payloadChunks, { noflush: true, counters: true })
      const seconds = Number(this.clock.hrtime() - startedAt) / 1e9
      this.synced = target
      this.chainNames.rotate()
      this.needFullSync = false
      if (full) this.lastFullSyncAt = this.clock.now()
      this.lastLargeClusterMode = result.largeClusterMode
      this.o.metrics?.recordSync({ full, seconds, timestampSeconds: this.clock.now() / 1000, counts: result.counts })
      if (this.pendingSince !== undefined) {
        this.o.metrics?.recordProgrammingLatency((this.clock.now() - this.pendingSince) / 1000)
        this.pendingSince = undefined
      }
      await this.o.metrics?.refresh()
      const outcome: SyncOutcome = {
        full,
        // Text only for whoever reads it (tests, the lab's rule view): decoding 32 MB is not free.
        get payload() {
          return result.payload
        },
        changedServices: full ? [...target.services.keys()].sort() : [...changed].sort(), staleChains: result.staleChains }
      this.log.debug({ full, changed: changed.size, stale: result.staleChains.length, seconds }, 'synced iptables rules')
      this.emit('synced', outcome)
    } catch (e) {
      // upstream: a failed restore logs the lines around the failing one, counts the failure, and
      // retries after syncPeriod with a full sync.
      const err = e as Error
      const fields: Record<string, unknown> = { err: err.message, full }
      if (err instanceof RestoreError) {
        fields.line = err.line
        fields.context = err.context.map((l) => `${l.line}: ${l.text}`)
        this.o.metrics?.recordRestoreFailure(!full)
      }
      this.log.error(fields, 'Failed to execute iptables-restore')
      this.needFullSync = true
      await this.o.metrics?.refresh()
      this.emit('syncFailed', err, full)
      this.runner.retryAfter(this.syncPeriodMs)
    }
  }
}

/** The chain names an iptables-save table dump declares. */
export function chainNamesOf(saved: string): string[] {
  const out: string[] = []
  for (const line of saved.split('\n')) {
    const m = /^:(\S+)/.exec(line)
    if (m) out.push(m[1]!)
  }
  return out
}
