// The pod status the kubelet reports, computed purely from what its runtime and probers observed:
// phase, the four conditions, containerStatuses, podIP(s), hostIP and startTime.
// upstream: pkg/kubelet/kubelet_pods.go (getPhase, generateAPIPodStatus) and
//           pkg/kubelet/status/generate.go (GenerateContainersReadyCondition, GeneratePodReadyCondition)
import type { ConditionStatus, ContainerStatus, Pod, PodCondition, PodStatus } from '../api/types.js'
import type { ContainerRuntimeState } from './runtime/process.js'

/** What the kubelet knows of one container. */
export interface ContainerView {
  name: string
  image: string
  state: ContainerRuntimeState
  lastState?: ContainerRuntimeState
  restartCount: number
  /** Running and (no readiness probe, or it passes). */
  ready: boolean
  pid?: number
}

/** Inputs of computePodStatus besides the pod. */
export interface StatusInput {
  containers: ContainerView[]
  podIP?: string
  hostIP: string
  /** When the kubelet first acknowledged the pod (RFC 3339). */
  startTime: string
  /** Now (RFC 3339), for transition times. */
  now: string
}

/** The pod phase from its containers' states. */
export function podPhase(restartPolicy: 'Always' | 'OnFailure' | 'Never' | undefined, containers: ContainerView[]): NonNullable<PodStatus['phase']> {
  let waiting = 0
  let running = 0
  let stopped = 0
  let succeeded = 0
  for (const c of containers) {
    if (c.state.running) running++
    else if (c.state.terminated) {
      stopped++
      if (c.state.terminated.exitCode === 0) succeeded++
    } else if (c.lastState?.terminated) stopped++
    else waiting++
  }
  if (waiting > 0) return 'Pending'
  if (running > 0) return 'Running'
  if (stopped > 0) {
    if ((restartPolicy ?? 'Always') === 'Always') return 'Running'
    if (succeeded === stopped) return 'Succeeded'
    // With OnFailure a failed container restarts: the pod still runs; with Never it has failed.
    return restartPolicy === 'Never' ? 'Failed' : 'Running'
  }
  return 'Pending'
}

function condition(type: string, status: ConditionStatus, old: PodCondition[] | undefined, now: string, reason?: string, message?: string): PodCondition {
  const prev = old?.find((c) => c.type === type)
  // The transition time moves only when the status does, as upstream.
  const c: PodCondition = { type, status, lastProbeTime: null, lastTransitionTime: prev && prev.status === status ? (prev.lastTransitionTime ?? now) : now }
  if (reason) c.reason = reason
  if (message) c.message = message
  return c
}

/** The full status to write through the status subresource. */
export function computePodStatus(pod: Pod, input: StatusInput): PodStatus {
  const old = pod.status?.conditions
  const phase = podPhase(pod.spec.restartPolicy, input.containers)
  const unready = input.containers.filter((c) => !c.ready).map((c) => c.name)
  const done = phase === 'Succeeded' || phase === 'Failed'
  const containersReady = unready.length === 0 && !done
  const notReadyMessage = `containers with unready status: [${unready.join(' ')}]`
  const scheduled = old?.find((c) => c.type === 'PodScheduled') ?? { type: 'PodScheduled', status: 'True' as const, lastProbeTime: null, lastTransitionTime: input.now }
  const conditions: PodCondition[] = [
    condition('Initialized', 'True', old, input.now),
    condition('Ready', containersReady ? 'True' : 'False', old, input.now, containersReady ? undefined : done ? 'PodCompleted' : 'ContainersNotReady', containersReady || done ? undefined : notReadyMessage),
    condition('ContainersReady', containersReady ? 'True' : 'False', old, input.now, containersReady ? undefined : done ? 'PodCompleted' : 'ContainersNotReady', containersReady || done ? undefined : notReadyMessage),
    scheduled,
  ]
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    startTime: input.startTime,
    containerStatuses: input.containers.map(containerStatus),
    qosClass: qosClass(pod),
  }
  if (input.podIP) {
    status.podIP = input.podIP
    status.podIPs = [{ ip: input.podIP }]
  }
  return status
}

function containerStatus(c: ContainerView): ContainerStatus {
  const s: ContainerStatus = {
    name: c.name,
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.image,
    imageID: `${c.image}@kplab`,
    started: !!c.state.running,
    state: c.state,
    lastState: c.lastState ?? {},
  }
  if (c.pid !== undefined) s.containerID = `kplab://${c.pid}`
  return s
}

/** The QoS class from requests and limits. upstream: pkg/apis/core/helper/qos/qos.go (simplified: cpu and memory). */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const cs = pod.spec.containers
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0)
  if (!any) return 'BestEffort'
  const guaranteed = cs.every((c) => {
    const l = c.resources?.limits ?? {}
    const r = c.resources?.requests ?? {}
    return ['cpu', 'memory'].every((k) => l[k] !== undefined && (r[k] === undefined || r[k] === l[k]))
  })
  return guaranteed ? 'Guaranteed' : 'Burstable'
}
