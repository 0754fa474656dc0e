// The flags of `kplab scheduler` in one declarative list (names as kube-scheduler's), and their parsing.
import { UsageError } from '../base/errors.js'
import { boolFlag, durationFlag, flagReader, intFlag, type FlagSpec } from '../client/component-flags.js'

/** The scheduler's settings after flag parsing. */
export interface SchedulerServerOptions {
  kubeconfig?: string
  schedulerNames: string[]
  leaderElect: boolean
  leaseDurationMs: number
  renewDeadlineMs: number
  retryPeriodMs: number
  leaseNamespace: string
  leaseName: string
  percentageOfNodesToScore: number
  bindConcurrency: number
}

/** Every flag of `kplab scheduler`, in help order. */
export const SCHEDULER_FLAGS: readonly FlagSpec<keyof SchedulerServerOptions>[] = [
  { flag: '--kubeconfig <file>', key: 'kubeconfig', description: 'kubeconfig of the API server (default: $KUBECONFIG, else ~/.kube/config)' },
  { flag: '--scheduler-name <names>', key: 'schedulerNames', description: 'comma-separated spec.schedulerName values this scheduler serves', defaultValue: 'default-scheduler,kplab-scheduler' },
  { flag: '--leader-elect <bool>', key: 'leaderElect', description: 'campaign for a Lease so only one of several schedulers acts', defaultValue: 'true' },
  { flag: '--leader-elect-lease-duration <d>', key: 'leaseDurationMs', description: 'how long others wait for a non-renewed lease', defaultValue: '15s' },
  { flag: '--leader-elect-renew-deadline <d>', key: 'renewDeadlineMs', description: 'how long the leader keeps trying to renew before it stops', defaultValue: '10s' },
  { flag: '--leader-elect-retry-period <d>', key: 'retryPeriodMs', description: 'time between lease attempts', defaultValue: '2s' },
  { flag: '--leader-elect-resource-namespace <ns>', key: 'leaseNamespace', description: 'namespace of the Lease', defaultValue: 'kube-system' },
  { flag: '--leader-elect-resource-name <name>', key: 'leaseName', description: 'name of the Lease', defaultValue: 'kube-scheduler' },
  { flag: '--percentage-of-nodes-to-score <n>', key: 'percentageOfNodesToScore', description: 'share of feasible nodes to find before scoring (0 = adaptive, as upstream)', defaultValue: '0' },
  { flag: '--bind-concurrency <n>', key: 'bindConcurrency', description: 'bindings in flight at once', defaultValue: '32' },
]

/** Turns raw flag values (keyed like SchedulerServerOptions) into checked options. */
export function resolveSchedulerOptions(raw: Record<string, unknown>): SchedulerServerOptions {
  const F = SCHEDULER_FLAGS
  const get = flagReader(F, raw)
  const names = get('schedulerNames')!.split(',').map((s) => s.trim()).filter(Boolean)
  if (names.length === 0) throw new UsageError('--scheduler-name: give at least one name')
  return {
    kubeconfig: get('kubeconfig'),
    schedulerNames: names,
    leaderElect: boolFlag(F, get, 'leaderElect'),
    leaseDurationMs: durationFlag(F, get, 'leaseDurationMs'),
    renewDeadlineMs: durationFlag(F, get, 'renewDeadlineMs'),
    retryPeriodMs: durationFlag(F, get, 'retryPeriodMs'),
    leaseNamespace: get('leaseNamespace')!,
    leaseName: get('leaseName')!,
    percentageOfNodesToScore: intFlag(F, get, 'percentageOfNodesToScore', 100),
    bindConcurrency: Math.max(1, intFlag(F, get, 'bindConcurrency', 10_000)),
  }
}
