// The flags of `kplab controller-manager` in one declarative list (names as kube-controller-manager's).
import { UsageError } from '../base/errors.js'
import { boolFlag, durationFlag, flagReader, intFlag, type FlagSpec } from '../client/component-flags.js'
import { CONTROLLERS } from './controller-manager.js'

/** The controller manager's settings after flag parsing. */
export interface ControllerManagerServerOptions {
  kubeconfig?: string
  controllers: string[]
  clusterCIDR?: string
  nodeCIDRMaskSize: number
  nodeMonitorGracePeriodMs: number
  nodeMonitorPeriodMs: number
  defaultTolerationSeconds: number
  leaderElect: boolean
  leaseDurationMs: number
  renewDeadlineMs: number
  retryPeriodMs: number
  leaseNamespace: string
  leaseName: string
}

/** Every flag of `kplab controller-manager`, in help order. */
export const CONTROLLER_MANAGER_FLAGS: readonly FlagSpec<keyof ControllerManagerServerOptions>[] = [
  { flag: '--kubeconfig <file>', key: 'kubeconfig', description: 'kubeconfig of the API server (default: $KUBECONFIG, else ~/.kube/config)' },
  { flag: '--controllers <names>', key: 'controllers', description: `controllers to run: * or a comma list of ${Object.keys(CONTROLLERS).join(', ')}; -name disables one`, defaultValue: '*' },
  { flag: '--cluster-cidr <cidr>', key: 'clusterCIDR', description: 'CIDR of pod IPs; node-ipam gives each node a subnet of it (node-ipam is off without it)' },
  { flag: '--node-cidr-mask-size <n>', key: 'nodeCIDRMaskSize', description: 'prefix length of each node pod CIDR', defaultValue: '24' },
  { flag: '--node-monitor-grace-period <d>', key: 'nodeMonitorGracePeriodMs', description: 'a node whose Lease is not renewed this long becomes Ready=Unknown', defaultValue: '40s' },
  { flag: '--node-monitor-period <d>', key: 'nodeMonitorPeriodMs', description: 'how often node health is checked', defaultValue: '5s' },
  { flag: '--default-toleration-seconds <n>', key: 'defaultTolerationSeconds', description: 'seconds a pod without a toleration stays on a not-ready/unreachable node before eviction', defaultValue: '300' },
  { flag: '--leader-elect <bool>', key: 'leaderElect', description: 'campaign for a Lease so only one of several controller managers acts', defaultValue: 'true' },
  { flag: '--leader-elect-lease-duration <d>', key: 'leaseDurationMs', description: 'how long others wait for a non-renewed lease', defaultValue: '15s' },
  { flag: '--leader-elect-renew-deadline <d>', key: 'renewDeadlineMs', description: 'how long the leader keeps trying to renew before it stops', defaultValue: '10s' },
  { flag: '--leader-elect-retry-period <d>', key: 'retryPeriodMs', description: 'time between lease attempts', defaultValue: '2s' },
  { flag: '--leader-elect-resource-namespace <ns>', key: 'leaseNamespace', description: 'namespace of the Lease', defaultValue: 'kube-system' },
  { flag: '--leader-elect-resource-name <name>', key: 'leaseName', description: 'name of the Lease', defaultValue: 'kube-controller-manager' },
]

/** `*`, `*,-gc`, or an explicit list → controller names; unknown names are a UsageError. */
export function resolveControllerList(spec: string): string[] {
  const known = Object.keys(CONTROLLERS)
  const parts = spec.split(',').map((s) => s.trim()).filter(Boolean)
  const on = new Set<string>()
  for (const p of parts) {
    if (p === '*') known.forEach((k) => on.add(k))
    else if (p.startsWith('-')) on.delete(p.slice(1))
    else on.add(p)
  }
  for (const p of parts) {
    const n = p.replace(/^-/, '')
    if (n !== '*' && !known.includes(n)) throw new UsageError(`--controllers: unknown controller "${n}"; known: ${known.join(', ')}`)
  }
  return known.filter((k) => on.has(k))
}

/** Turns raw flag values (keyed like ControllerManagerServerOptions) into checked options. */
export function resolveControllerManagerOptions(raw: Record<string, unknown>): ControllerManagerServerOptions {
  const F = CONTROLLER_MANAGER_FLAGS
  const get = flagReader(F, raw)
  const cidr = get('clusterCIDR')
  if (cidr !== undefined && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr)) throw new UsageError(`--cluster-cidr: "${cidr}" is not an IPv4 CIDR like 10.244.0.0/16`)
  return {
    kubeconfig: get('kubeconfig'),
    controllers: resolveControllerList(get('controllers')!),
    clusterCIDR: cidr,
    nodeCIDRMaskSize: intFlag(F, get, 'nodeCIDRMaskSize', 30),
    nodeMonitorGracePeriodMs: durationFlag(F, get, 'nodeMonitorGracePeriodMs'),
    nodeMonitorPeriodMs: durationFlag(F, get, 'nodeMonitorPeriodMs'),
    defaultTolerationSeconds: intFlag(F, get, 'defaultTolerationSeconds'),
    leaderElect: boolFlag(F, get, 'leaderElect'),
    leaseDurationMs: durationFlag(F, get, 'leaseDurationMs'),
    renewDeadlineMs: durationFlag(F, get, 'renewDeadlineMs'),
    retryPeriodMs: durationFlag(F, get, 'retryPeriodMs'),
    leaseNamespace: get('leaseNamespace')!,
    leaseName: get('leaseName')!,
  }
}
