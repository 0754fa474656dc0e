import { AGE_COLUMN, NAME_COLUMN, col, type Printer, type TableRowCondition } from './types.js'
import { arr, humanDuration, num, obj, str, translateTimestampSince } from './format.js'

// upstream: pkg/printers/internalversion/printers.go (podColumnDefinitions, printPod)

const NODE_UNREACHABLE_POD_REASON = 'NodeLost'

const podSuccessConditions: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
]
const podFailedConditions: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]

function isRestartableInit(c: Record<string, unknown> | undefined): boolean {
  return c?.restartPolicy === 'Always'
}

function conditionTrue(status: Record<string, unknown>, type: string): boolean {
  return arr(status.conditions).some((c) => c.type === type && c.status === 'True')
}

function finishedAt(cs: Record<string, unknown>): number {
  const t = Date.parse(str(obj(obj(cs.lastState).terminated).finishedAt))
  return Number.isNaN(t) ? 0 : t
}

/** Cells of one Pod: Ready `n/m`, Status with upstream's reason precedence, Restarts `3 (5m ago)`. */
function podRow(pod: Record<string, unknown>, now: number): { cells: unknown[]; conditions?: TableRowCondition[] } {
  const meta = obj(pod.metadata)
  const spec = obj(pod.spec)
  const status = obj(pod.status)
  const containers = arr(spec.containers)
  const initSpecs = arr(spec.initContainers)
  const initByName = new Map(initSpecs.map((c) => [str(c.name), c]))
  const total = containers.length + initSpecs.filter(isRestartableInit).length
  let ready = 0
  let restarts = 0
  let sidecarRestarts = 0
  let lastRestart = 0
  let lastSidecarRestart = 0

  const phase = str(status.phase)
  let reason = status.reason ? str(status.reason) : phase
  if (arr(status.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated'

  const conditions = phase === 'Succeeded' ? podSuccessConditions : phase === 'Failed' ? podFailedConditions : undefined

  let initializing = false
  const initStatuses = arr(status.initContainerStatuses)
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!
    const state = obj(cs.state)
    const terminated = state.terminated ? obj(state.terminated) : undefined
    const waiting = state.waiting ? obj(state.waiting) : undefined
    const restartable = isRestartableInit(initByName.get(str(cs.name)))
    restarts += num(cs.restartCount)
    lastRestart = Math.max(lastRestart, finishedAt(cs))
    if (restartable) {
      sidecarRestarts += num(cs.restartCount)
      lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(cs))
    }
    if (terminated && num(terminated.exitCode) === 0) continue
    if (restartable && cs.started === true) {
      if (cs.ready === true) ready++
      continue
    }
    if (terminated) {
      if (terminated.reason) reason = `Init:${str(terminated.reason)}`
      else reason = num(terminated.signal) !== 0 ? `Init:Signal:${num(terminated.signal)}` : `Init:ExitCode:${num(terminated.exitCode)}`
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`
    } else {
      reason = `Init:${i}/${initSpecs.length}`
    }
    initializing = true
    break
  }

  if (!initializing || conditionTrue(status, 'Initialized')) {
    restarts = sidecarRestarts
    lastRestart = lastSidecarRestart
    let hasRunning = false
    const statuses = arr(status.containerStatuses)
    // upstream walks the statuses backwards so that the first container's reason wins
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!
      const state = obj(cs.state)
      restarts += num(cs.restartCount)
      lastRestart = Math.max(lastRestart, finishedAt(cs))
      const waiting = obj(state.waiting)
      const terminated = state.terminated ? obj(state.terminated) : undefined
      if (waiting.reason) reason = str(waiting.reason)
      else if (terminated && terminated.reason) reason = str(terminated.reason)
      else if (terminated) reason = num(terminated.signal) !== 0 ? `Signal:${num(terminated.signal)}` : `ExitCode:${num(terminated.exitCode)}`
      else if (cs.ready === true && state.running) {
        hasRunning = true
        ready++
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status, 'Ready') ? 'Running' : 'NotReady'
  }

  if (meta.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown'
  else if (meta.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating'

  const restartsCell = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts)

  const podIPs = arr(status.podIPs)
  const podIP = str(podIPs[0]?.ip) || str(status.podIP) || '<none>'
  const gates = arr(spec.readinessGates)
  let readinessGates = '<none>'
  if (gates.length > 0) {
    const trueCount = gates.filter((g) => {
      const c = arr(status.conditions).find((c) => c.type === g.conditionType)
      return c?.status === 'True'
    }).length
    readinessGates = `${trueCount}/${gates.length}`
  }
  const cells = [
    str(meta.name),
    `${ready}/${total}`,
    reason,
    restartsCell,
    translateTimestampSince(meta.creationTimestamp, now),
    podIP,
    str(spec.nodeName) || '<none>',
    str(status.nominatedNodeName) || '<none>',
    readinessGates,
  ]
  return conditions ? { cells, conditions } : { cells }
}

/** Pods: Name, Ready, Status, Restarts, Age, IP, Node, Nominated Node, Readiness Gates. */
export const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE_COLUMN,
    col('IP', 'string', 'IP address allocated to the pod.', { priority: 1 }),
    col('Node', 'string', 'Name of the node the pod is scheduled on.', { priority: 1 }),
    col('Nominated Node', 'string', 'Name of the node where the pod is nominated to run by the scheduler.', { priority: 1 }),
    col('Readiness Gates', 'string', 'Readiness gates of the pod that are true, out of all.', { priority: 1 }),
  ],
  row: podRow,
}
