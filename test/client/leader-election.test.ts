import t from 'tap'
import { once } from 'node:events'
import type { Lease } from '../../src/api/types.js'
import { RESOURCES } from '../../src/api/registry.js'
import { FakeClock } from '../../src/base/clock.js'
import { LeaderElector } from '../../src/client/leader-election.js'
import { RestClient } from '../../src/client/rest-client.js'
import { startKplabApiServer } from '../support/kplab-apiserver.js'

const LEASES = RESOURCES.find((r) => r.plural === 'leases')!

t.test('two candidates: one leads, the other takes over only after the lease expires', async (t) => {
  const { url } = await startKplabApiServer(t)
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  t.teardown(() => client.close())
  const clock = new FakeClock()
  const mk = (identity: string): LeaderElector => new LeaderElector({ client, clock, namespace: 'kube-system', name: 'kube-scheduler', identity, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 })
  const a = mk('a')
  const b = mk('b')
  t.equal(await a.attempt(), true, 'a creates the lease')
  t.equal(await b.attempt(), false, 'b sees a valid lease')
  clock.advance(10_000)
  t.equal(await a.attempt(), true, 'a renews')
  t.equal(await b.attempt(), false, 'b observed a change: the lease is valid again for 15 s')
  clock.advance(14_000)
  t.equal(await b.attempt(), false, 'still within the duration b measured')
  clock.advance(2_000)
  t.equal(await b.attempt(), true, 'expired on b’s clock: b takes over')
  const lease = await client.get<Lease>(LEASES, 'kube-system', 'kube-scheduler')
  t.match(lease.spec, { holderIdentity: 'b', leaseTransitions: 1, leaseDurationSeconds: 15 })
  t.equal(await a.attempt(), false, 'a has lost it')
})

t.test('run() calls lead while leading and releases the lease on abort', async (t) => {
  const { url } = await startKplabApiServer(t)
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  t.teardown(() => client.close())
  const clock = new FakeClock()
  const el = new LeaderElector({ client, clock, namespace: 'kube-system', name: 'cm', identity: 'me' })
  const stop = new AbortController()
  let leadSignal: AbortSignal | undefined
  const started = once(el, 'started')
  const running = el.run(stop.signal, (s) => {
    leadSignal = s
  })
  await started
  t.ok(el.isLeader())
  stop.abort()
  await running
  t.equal(leadSignal?.aborted, true, 'the term ended')
  const lease = await client.get<Lease>(LEASES, 'kube-system', 'cm')
  t.equal(lease.spec?.holderIdentity, '', 'released for the next candidate')
})
