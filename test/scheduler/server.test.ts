import t from 'tap'
import type { Lease, Pod } from '../../src/api/types.js'
import { Writable } from 'node:stream'
import { realClock } from '../../src/base/clock.js'
import { createLogger } from '../../src/base/logger.js'
import { Informer } from '../../src/client/informer.js'
import { RestClient } from '../../src/client/rest-client.js'
import { resolveSchedulerOptions } from '../../src/scheduler/options.js'
import { runScheduler } from '../../src/scheduler/server.js'
import { res, waitFor } from '../controllers/cluster.js'
import { startKplabApiServer } from '../support/kplab-apiserver.js'

t.test('two schedulers with leader election: one holds the Lease, the other takes over when it stops', async (t) => {
  const { url } = await startKplabApiServer(t)
  const config = { server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' }
  const client = new RestClient(config)
  const opts = resolveSchedulerOptions({ leaseDurationMs: '1s', renewDeadlineMs: '800ms', retryPeriodMs: '50ms' })
  // Each scheduler's log tells which identity it campaigns with and when it leads.
  const identities: Record<string, string> = {}
  const logger = (who: string) =>
    createLogger({
      component: who,
      level: 'info',
      destination: new Writable({
        write(chunk, _enc, cb) {
          for (const line of String(chunk).split('\n').filter(Boolean)) {
            const rec = JSON.parse(line) as { msg?: string; identity?: string }
            if (rec.msg === 'became leader' && rec.identity) identities[rec.identity] = who
          }
          cb()
        },
      }),
    })
  const ctl: Record<string, AbortController> = { A: new AbortController(), B: new AbortController() }
  const runs: Record<string, Promise<void>> = {
    A: runScheduler(opts, config, ctl.A!.signal, { logger: logger('A') }),
    B: runScheduler(opts, config, ctl.B!.signal, { logger: logger('B') }),
  }
  const stopAll = new AbortController()
  const pods = new Informer<Pod>({ client, resource: res('pods'), clock: realClock, namespace: 'default' })
  const leases = new Informer<Lease>({ client, resource: res('leases'), clock: realClock, namespace: 'kube-system' })
  void pods.start(stopAll.signal)
  void leases.start(stopAll.signal)
  t.teardown(async () => {
    ctl.A!.abort()
    ctl.B!.abort()
    stopAll.abort()
    await Promise.all([runs.A, runs.B])
    client.close()
  })
  await client.create(res('nodes'), { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } })
  const first = await waitFor(leases, (ls) => ls.find((l) => l.metadata.name === 'kube-scheduler' && l.spec?.holderIdentity)?.spec?.holderIdentity, 'a leader')
  await client.create(res('pods'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } })
  await waitFor(pods, (ps) => ps.find((p) => p.metadata.name === 'p1' && p.spec.nodeName === 'n1'), 'p1 bound')
  const leader = identities[first]!
  const other = leader === 'A' ? 'B' : 'A'
  t.ok(leader, `${leader} leads as ${first}`)
  t.equal(Object.values(identities).length, 1, 'only one scheduler acts')
  // Stop the leader: it releases the Lease and the other takes over.
  ctl[leader]!.abort()
  await runs[leader]
  const second = await waitFor(leases, (ls) => {
    const h = ls.find((l) => l.metadata.name === 'kube-scheduler')?.spec?.holderIdentity
    return h && h !== first ? h : undefined
  }, 'a new holder')
  await client.create(res('pods'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p2', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } })
  await waitFor(pods, (ps) => ps.find((p) => p.metadata.name === 'p2' && p.spec.nodeName === 'n1'), 'p2 bound by the remaining scheduler')
  t.equal(identities[second], other, `${other} took over`)
})
