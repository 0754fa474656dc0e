// The demo's pure parts: the manifest read as an experiment (pod groups and one round per Service it
// sends traffic through), the live rules of one Service picked out of iptables-save, and the one
// comparison table (per-pod share, p50/p99, errors; measured row, then predicted row).
import type { KubeObject } from '../api/meta.js'
import { fmt, pct } from '../sim/report/format.js'
import type { Report } from '../sim/report/types.js'
import type { Experiment, ExperimentRound, PodGroup } from './experiment-spec.js'
import { LB_ALGORITHM_ANNOTATION } from './experiment.js'

/** A Service the demo sends traffic through. */
export interface DemoTarget {
  label: string
  service: string
  kind: 'clusterip' | 'nodeport' | 'algorithm'
  nodePort?: number
  round: ExperimentRound
}

type ServiceSpec = { type?: string; ports?: { nodePort?: number; appProtocol?: string }[] }

/** The Services of the manifest as targets: the ClusterIP, the NodePort, then one per algorithm annotation. */
export function demoTargets(mode: 'netns' | 'local', objects: readonly KubeObject[]): DemoTarget[] {
  const out: DemoTarget[] = []
  for (const o of objects) {
    if (o.kind !== 'Service') continue
    const name = o.metadata.name!
    const spec = (o.spec ?? {}) as ServiceSpec
    const algorithm = o.metadata.annotations?.[LB_ALGORITHM_ANNOTATION]
    // Without the iptables proxy (local lab) the plain Services go through the userspace proxy's default.
    const plain: ExperimentRound = mode === 'netns' ? { label: '', proxy: 'iptables' } : { label: '', proxy: 'userspace', algorithm: 'round-robin' }
    if (spec.type === 'NodePort') {
      const label = `NodePort ${name}${mode === 'netns' ? ' (iptables)' : ''}`
      out.push({ label, service: name, kind: 'nodeport', nodePort: spec.ports?.[0]?.nodePort, round: { ...plain, label } })
    } else if (algorithm !== undefined) {
      out.push({ label: algorithm, service: name, kind: 'algorithm', round: { label: algorithm, proxy: 'userspace', algorithm } })
    } else {
      const label = `ClusterIP ${name}${mode === 'netns' ? ' (iptables)' : ''}`
      out.push({ label, service: name, kind: 'clusterip', round: { ...plain, label } })
    }
  }
  return out
}

/** The manifest as an experiment: a pod group per Deployment (delay from ECHO_DELAY_MS), a round per target. */
export function demoExperiment(objects: readonly KubeObject[], mode: 'netns' | 'local' = 'local'): Experiment {
  const groups: PodGroup[] = objects
    .filter((o) => o.kind === 'Deployment')
    .map((d) => {
      const spec = d.spec as { replicas?: number; template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } }
      const env = spec.template?.spec?.containers?.[0]?.env ?? []
      const delay = Number(env.find((e) => e.name === 'ECHO_DELAY_MS')?.value ?? 0)
      const rate = Number(env.find((e) => e.name === 'ECHO_ERROR_RATE')?.value ?? 0)
      return { name: spec.template?.metadata?.labels?.['kplab.io/group'] ?? d.metadata.name!, replicas: spec.replicas ?? 1, delayMs: delay, errorRate: rate }
    })
  return {
    name: 'demo',
    description: 'the demo manifest',
    namespace: 'default',
    groups,
    appProtocol: 'http',
    load: { loop: 'closed', concurrency: 4, rate: 0, requests: 200, keepAlive: false, timeoutMs: 10_000 },
    rounds: demoTargets(mode, objects).map((t) => t.round),
    events: [],
  }
}

/** The rules of one service port in iptables-save text: its KUBE-SERVICES jump, its KUBE-SVC chain and the KUBE-SEP chains it jumps to. */
export function liveServiceRules(save: string, servicePort: string): string[] {
  const lines = save.split('\n')
  const entry = lines.find((l) => l.startsWith('-A KUBE-SERVICES ') && l.includes(`${servicePort} cluster IP`))
  if (!entry) return [`(no rule for ${servicePort} yet)`]
  const svc = /-j (KUBE-SVC-\S+)/.exec(entry)?.[1]
  if (!svc) return [entry]
  const svcLines = lines.filter((l) => l.startsWith(`-A ${svc} `))
  const seps = new Set(svcLines.map((l) => /-j (KUBE-SEP-\S+)/.exec(l)?.[1]).filter((x): x is string => x !== undefined))
  return [entry, ...svcLines, ...lines.filter((l) => [...seps].some((s) => l.startsWith(`-A ${s} `)))]
}

/** One table: per target a measured row and a predicted row, with per-backend shares, p50/p99 (ms) and errors. */
export function formatDemoTable(targets: readonly DemoTarget[], predicted: Report, measured: Report): string {
  const backends = measured.backends
  const rows: string[][] = [['Service', '', ...backends, 'p50 ms', 'p99 ms', 'errors']]
  targets.forEach((t, i) => {
    const m = measured.algorithms[i]
    const p = predicted.algorithms[i]
    if (m) rows.push([t.label, 'measured', ...backends.map((b) => pct(m.metrics.share[b] ?? 0)), fmt(m.metrics.p50), fmt(m.metrics.p99), fmt(m.metrics.failed)])
    if (p) rows.push(['', 'predicted', ...backends.map((b) => (b in p.metrics.share ? pct(p.metrics.share[b]!) : '–')), fmt(p.metrics.p50), fmt(p.metrics.p99), fmt(p.metrics.failed)])
  })
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  const line = (r: string[]): string => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n') + '\n'
}
