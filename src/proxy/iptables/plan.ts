// Partial-sync planning, pure: which Services changed, full or partial sync, and what a
// `--noflush` restore leaves in the kernel (which chains exist afterwards).
import { isServiceChainName } from './chain-names.js'
import { buildEndpointsMap } from './endpoints.js'
import type { ProxyState } from './generate.js'
import type { IPFamily } from './ip.js'
import { findTable, type Ruleset } from './ruleset.js'
import { servicePortsOf } from './service-port.js'

/** Per-Service fingerprints (`namespace/name` → canonical JSON of what the proxier derives). */
function fingerprints(state: ProxyState, nodeName: string, family: IPFamily): Map<string, string> {
  const out = new Map<string, string>()
  const portsByService = new Map<string, string[]>()
  for (const svc of state.services) {
    const key = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? ''}`
    // Only what reaches the rules counts: a label or resourceVersion change is a no-op.
    portsByService.set(key, servicePortsOf(svc, family).map((p) => JSON.stringify(p)))
  }
  const eps = buildEndpointsMap(state.endpointSlices, nodeName, family)
  const epsByService = new Map<string, string[]>()
  for (const [spn, list] of eps) {
    const slash = spn.indexOf('/')
    const colon = spn.indexOf(':', slash)
    const key = colon < 0 ? spn : spn.slice(0, colon)
    const arr = epsByService.get(key) ?? []
    arr.push(`${spn}=${JSON.stringify(list)}`)
    epsByService.set(key, arr)
  }
  for (const key of new Set([...portsByService.keys(), ...epsByService.keys()])) {
    out.set(key, JSON.stringify([portsByService.get(key) ?? null, (epsByService.get(key) ?? []).sort()]))
  }
  return out
}

/** `namespace/name` of every Service whose Service or EndpointSlices changed in a way the rules see. */
// upstream: pkg/proxy/servicechangetracker.go and endpointschangetracker.go (no-op changes dropped)
export function changedServices(prev: ProxyState, cur: ProxyState, nodeName = '', family: IPFamily = 'IPv4'): Set<string> {
  const a = fingerprints(prev, nodeName, family)
  const b = fingerprints(cur, nodeName, family)
  const out = new Set<string>()
  for (const key of new Set([...a.keys(), ...b.keys()])) if (a.get(key) !== b.get(key)) out.add(key)
  return out
}

/** Inputs to the full-or-partial decision. */
export interface SyncKindInput {
  /** Set at start, after a failed restore, on node-label change and when the canary vanished. */
  needFullSync: boolean
  /** Milliseconds since the last successful full sync. */
  sinceLastFullSyncMs: number
  /** Default one hour (upstream proxyutil.FullSyncPeriod). */
  fullSyncPeriodMs?: number
  /** Newer upstream (PR #138571) skips the hourly full sync in large-cluster mode. */
  largeClusterMode?: boolean
}

/** One hour: upstream's FullSyncPeriod. */
export const FULL_SYNC_PERIOD_MS = 60 * 60 * 1000

/** Decides whether this sync must be full. */
// upstream: pkg/proxy/iptables/proxier.go (syncProxyRules: doFullSync)
export function needsFullSync(i: SyncKindInput): boolean {
  const period = i.fullSyncPeriodMs ?? FULL_SYNC_PERIOD_MS
  return i.needFullSync || (i.sinceLastFullSyncMs > period && !(i.largeClusterMode ?? false))
}

/**
 * The chains of `table` that exist after restoring `payload` with `--noflush` over `existing`:
 * chain lines create, `-X` deletes. A fake kernel for tests and for planning stale chains.
 */
export function chainsAfterRestore(existing: Iterable<string>, payload: Ruleset, table = 'nat'): Set<string> {
  const out = new Set(existing)
  const t = findTable(payload, table)
  if (t === undefined) return out
  for (const c of t.chains) out.add(c.name)
  for (const r of t.rules) if (r.op === '-X') out.delete(r.chain)
  return out
}

/** The service chains among `existing` that `active` no longer uses (sorted). */
// upstream: pkg/proxy/iptables/proxier.go (syncProxyRules: "Delete chains no longer in use")
export function staleServiceChains(existing: Iterable<string>, active: ReadonlySet<string>): string[] {
  const out: string[] = []
  for (const c of existing) if (!active.has(c) && isServiceChainName(c)) out.push(c)
  return out.sort()
}
