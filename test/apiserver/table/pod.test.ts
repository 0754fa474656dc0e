import t from 'tap'
import { podPrinter } from '../../../src/apiserver/table/pod.js'

const now = Date.parse('2026-11-25T10:00:00Z')
const created = '2026-11-25T09:21:00Z' // 39m before now

const pod = (over: { metadata?: object; spec?: object; status?: object } = {}) => ({
  metadata: { name: 'web', namespace: 'default', creationTimestamp: created, ...over.metadata },
  spec: { containers: [{ name: 'a' }], ...over.spec },
  status: over.status ?? {},
})

const running = { ready: true, restartCount: 0, state: { running: { startedAt: created } } }

t.test('columns are upstream\'s, wide ones priority 1', async (t) => {
  t.same(
    podPrinter.columns.map((c) => [c.name, c.priority]),
    [
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ],
  )
})

t.test('a pending pod with nothing set', async (t) => {
  t.same(podPrinter.row(pod({ status: { phase: 'Pending' } }), now).cells, ['web', '0/1', 'Pending', '0', '39m', '<none>', '<none>', '<none>', '<none>'])
})

t.test('a running ready pod with IP and node', async (t) => {
  const p = pod({ spec: { nodeName: 'node-1' }, status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], containerStatuses: [running] } })
  t.same(podPrinter.row(p, now).cells, ['web', '1/1', 'Running', '0', '39m', '10.244.1.5', 'node-1', '<none>', '<none>'])
})

t.test('waiting reason wins; restarts show "n (age ago)"', async (t) => {
  const p = pod({
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-25T09:55:00Z' } },
        },
      ],
    },
  })
  const cells = podPrinter.row(p, now).cells
  t.equal(cells[1], '0/1')
  t.equal(cells[2], 'CrashLoopBackOff')
  t.equal(cells[3], '3 (5m ago)')
})

t.test('terminated without reason prints ExitCode / Signal', async (t) => {
  const ex = pod({ status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 2 } } }] } })
  const r = podPrinter.row(ex, now)
  t.equal(r.cells[2], 'ExitCode:2')
  t.same(r.conditions?.map((c) => c.type), ['Completed'])
  const sig = pod({ status: { phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }] } })
  t.equal(podPrinter.row(sig, now).cells[2], 'Signal:9')
  const done = pod({ status: { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } })
  t.equal(podPrinter.row(done, now).cells[2], 'Completed')
})

t.test('status.reason and Terminating (deletionTimestamp)', async (t) => {
  t.equal(podPrinter.row(pod({ status: { phase: 'Failed', reason: 'Evicted' } }), now).cells[2], 'Evicted')
  const deleting = pod({ metadata: { deletionTimestamp: '2026-11-25T09:59:00Z' }, status: { phase: 'Running', containerStatuses: [running] } })
  t.equal(podPrinter.row(deleting, now).cells[2], 'Terminating')
  const lost = pod({ metadata: { deletionTimestamp: '2026-11-25T09:59:00Z' }, status: { phase: 'Running', reason: 'NodeLost' } })
  t.equal(podPrinter.row(lost, now).cells[2], 'Unknown')
  const finished = pod({ metadata: { deletionTimestamp: '2026-11-25T09:59:00Z' }, status: { phase: 'Succeeded' } })
  t.equal(podPrinter.row(finished, now).cells[2], 'Succeeded')
})

t.test('init containers: Init:n/m, Init:<reason>, sidecars count as containers', async (t) => {
  const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'a' }] }
  const first = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } }] } })
  t.equal(podPrinter.row(first, now).cells[2], 'Init:1/2')
  const crash = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } })
  t.equal(podPrinter.row(crash, now).cells[2], 'Init:CrashLoopBackOff')
  t.equal(podPrinter.row(crash, now).cells[3], '2')
  const failed = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 3 } } }] } })
  t.equal(podPrinter.row(failed, now).cells[2], 'Init:ExitCode:3')
  const sidecar = pod({
    spec: { initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 's', started: true, ready: true, state: { running: {} } }],
      containerStatuses: [running],
    },
  })
  t.same(podPrinter.row(sidecar, now).cells.slice(1, 3), ['2/2', 'Running'])
})

t.test('Completed with a container still running reads Running or NotReady', async (t) => {
  const status = (ready: boolean) => ({
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [running, { state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
  })
  const spec = { containers: [{ name: 'a' }, { name: 'b' }] }
  t.equal(podPrinter.row(pod({ spec, status: status(true) }), now).cells[2], 'Running')
  t.equal(podPrinter.row(pod({ spec, status: status(false) }), now).cells[2], 'NotReady')
})

t.test('SchedulingGated, nominated node and readiness gates', async (t) => {
  const p = pod({
    spec: { readinessGates: [{ conditionType: 'x/a' }, { conditionType: 'x/b' }] },
    status: {
      phase: 'Pending',
      nominatedNodeName: 'node-2',
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' },
        { type: 'x/a', status: 'True' },
      ],
    },
  })
  const cells = podPrinter.row(p, now).cells
  t.equal(cells[2], 'SchedulingGated')
  t.equal(cells[7], 'node-2')
  t.equal(cells[8], '1/2')
})
