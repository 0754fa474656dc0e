// The iptables proxier's Prometheus metrics, with upstream's names, help texts and buckets, in a
// registry of their own (never prom-client's global one, so two proxiers in one test don't collide).
// upstream: pkg/proxy/metrics/metrics.go
import { Counter, Gauge, Histogram, Registry, exponentialBuckets, linearBuckets } from 'prom-client'
import type { RuleCounts } from './generate.js'

// upstream: metrics.SyncProxyRulesLatency etc. use ExponentialBuckets(0.001, 2, 15).
const SYNC_BUCKETS = exponentialBuckets(0.001, 2, 15)
// upstream: NetworkProgrammingLatency buckets (0.25 s … 5 min).
const PROGRAMMING_BUCKETS = [...linearBuckets(0.25, 0.25, 2), ...linearBuckets(1, 1, 59), ...linearBuckets(60, 5, 12), ...linearBuckets(120, 30, 7)]

/** Everything one sync reports. */
export interface SyncRecord {
  full: boolean
  seconds: number
  /** Unix seconds of the sync's end. */
  timestampSeconds: number
  counts: RuleCounts
}

/** The kube-proxy iptables metrics of one proxier. */
export class IptablesMetrics {
  /** The registry holding only these metrics. */
  readonly registry = new Registry()
  private readonly syncDuration: Histogram
  private readonly fullDuration: Histogram
  private readonly partialDuration: Histogram
  private readonly rulesTotal: Gauge<'table'>
  private readonly rulesLast: Gauge<'table'>
  private readonly partialFailures: Counter
  private readonly restoreFailures: Counter
  private readonly lastTimestamp: Gauge
  private readonly programming: Histogram
  private readonly endpointChanges: Counter
  private readonly serviceChanges: Counter
  private text = ''

  constructor() {
    const registers = [this.registry]
    this.syncDuration = new Histogram({ name: 'kubeproxy_sync_proxy_rules_duration_seconds', help: 'SyncProxyRules latency in seconds', buckets: SYNC_BUCKETS, registers })
    this.fullDuration = new Histogram({ name: 'kubeproxy_sync_full_proxy_rules_duration_seconds', help: 'SyncProxyRules latency in seconds for full resyncs', buckets: SYNC_BUCKETS, registers })
    this.partialDuration = new Histogram({ name: 'kubeproxy_sync_partial_proxy_rules_duration_seconds', help: 'SyncProxyRules latency in seconds for partial resyncs', buckets: SYNC_BUCKETS, registers })
    this.rulesTotal = new Gauge({ name: 'kubeproxy_sync_proxy_rules_iptables_total', help: 'Total number of iptables rules owned by kube-proxy', labelNames: ['table'], registers })
    this.rulesLast = new Gauge({ name: 'kubeproxy_sync_proxy_rules_iptables_last', help: 'Number of iptables rules written by kube-proxy in last sync', labelNames: ['table'], registers })
    this.partialFailures = new Counter({ name: 'kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total', help: 'Cumulative proxy iptables partial restore failures', registers })
    this.restoreFailures = new Counter({ name: 'kubeproxy_sync_proxy_rules_iptables_restore_failures_total', help: 'Cumulative proxy iptables restore failures', registers })
    this.lastTimestamp = new Gauge({ name: 'kubeproxy_sync_proxy_rules_last_timestamp_seconds', help: 'The last time proxy rules were successfully synced', registers })
    this.programming = new Histogram({ name: 'kubeproxy_network_programming_duration_seconds', help: 'In Cluster Network Programming Latency in seconds', buckets: PROGRAMMING_BUCKETS, registers })
    this.endpointChanges = new Counter({ name: 'kubeproxy_sync_proxy_rules_endpoint_changes_total', help: 'Cumulative proxy rules Endpoint changes', registers })
    this.serviceChanges = new Counter({ name: 'kubeproxy_sync_proxy_rules_service_changes_total', help: 'Cumulative proxy rules Service changes', registers })
  }

  /** Records a successful sync. */
  // upstream: pkg/proxy/iptables/proxier.go (syncProxyRules: deferred metrics, rule counts per table)
  recordSync(r: SyncRecord): void {
    this.syncDuration.observe(r.seconds)
    ;(r.full ? this.fullDuration : this.partialDuration).observe(r.seconds)
    this.lastTimestamp.set(r.timestampSeconds)
    this.rulesTotal.set({ table: 'filter' }, r.counts.filterRules)
    this.rulesTotal.set({ table: 'nat' }, r.counts.natRules)
    this.rulesLast.set({ table: 'filter' }, r.counts.filterRules)
    this.rulesLast.set({ table: 'nat' }, r.counts.natRules)
  }

  /** Records a failed iptables-restore (and, for a partial sync, the partial counter too). */
  recordRestoreFailure(partial: boolean): void {
    this.restoreFailures.inc()
    if (partial) this.partialFailures.inc()
  }

  /** Records Service and EndpointSlice changes the informers delivered. */
  recordChanges(services: number, endpoints: number): void {
    if (services > 0) this.serviceChanges.inc(services)
    if (endpoints > 0) this.endpointChanges.inc(endpoints)
  }

  /** Records the delay between an endpoint change and its rules being in the kernel. */
  recordProgrammingLatency(seconds: number): void {
    this.programming.observe(Math.max(0, seconds))
  }

  /** Re-renders the Prometheus text (async in prom-client); prometheus() serves the last rendering. */
  async refresh(): Promise<string> {
    this.text = await this.registry.metrics()
    return this.text
  }

  /** The Prometheus text as of the last refresh(). */
  prometheus(): string {
    return this.text
  }
}
