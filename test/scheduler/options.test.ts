import t from 'tap'
import { resolveSchedulerOptions } from '../../src/scheduler/options.js'

t.test('defaults as kube-scheduler, and errors naming the flag', async (t) => {
  t.same(resolveSchedulerOptions({}), {
    kubeconfig: undefined,
    schedulerNames: ['default-scheduler', 'kplab-scheduler'],
    leaderElect: true,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    leaseNamespace: 'kube-system',
    leaseName: 'kube-scheduler',
    percentageOfNodesToScore: 0,
    bindConcurrency: 32,
  })
  t.match(resolveSchedulerOptions({ schedulerNames: 'a, b', leaderElect: 'false' }), { schedulerNames: ['a', 'b'], leaderElect: false })
  t.throws(() => resolveSchedulerOptions({ leaderElect: 'yes' }), /--leader-elect: "yes" is not a boolean/)
  t.throws(() => resolveSchedulerOptions({ percentageOfNodesToScore: '150' }), /--percentage-of-nodes-to-score: "150" must be an integer from 0 to 100/)
  t.throws(() => resolveSchedulerOptions({ schedulerNames: ',' }), /give at least one name/)
})
