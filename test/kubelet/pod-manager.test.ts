// The pod manager across kubelet restarts: a pod deleted while no kubelet ran is an orphan; the
// next kubelet stops its processes and frees its address instead of adopting it.
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { readPodRecords } from '../../src/kubelet/pod-manager.js'
import { boundPod, exits, PODS, ready, startControl, startKubelet, TCP_READY, until, workerFor } from './harness.js'

t.test('readPodRecords: an empty or missing root dir has none', async (t) => {
  t.same(readPodRecords(join(t.testdir(), 'nope')), [])
})

t.test('a pod deleted while the kubelet was down is stopped and cleaned up by the next kubelet', async (t) => {
  const c = await startControl(t)
  const dir = t.testdir()
  const k1 = await startKubelet(t, c, { name: 'node-a', rootDir: dir })
  await c.client.create(PODS, boundPod('web', 'node-a', { ports: [{ containerPort: 8080 }], readinessProbe: TCP_READY }))
  const w1 = await workerFor(k1, 'web')
  const pod = await until(w1, (p) => ready(p) === 'True', { clock: c.clock, advanceMs: 1000 })
  const uid = pod.metadata.uid!
  const pid = w1.pids().main!
  t.same(readPodRecords(dir).map((r) => [r.name, r.containers.main?.pid]), [['web', pid]], 'the record a new kubelet reads')
  await k1.stop()
  await c.client.delete(PODS, 'default', 'web', { gracePeriodSeconds: 0 })
  const k2 = await startKubelet(t, c, { name: 'node-a', rootDir: dir })
  await once(k2.podManager!, 'orphansCleaned')
  t.same(await exits.get(pid), { code: null, signal: 'SIGKILL' }, 'the orphan process was killed')
  t.equal(k2.network!.addressOf(uid), undefined, 'its address is free')
  t.notOk(existsSync(join(dir, 'pods', uid)), 'its state is gone')
  t.same(k2.podManager!.allWorkers(), [], 'nothing adopted')
})

t.test('lookupLog finds running containers by namespace, pod and container', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  await c.client.create(PODS, boundPod('web', 'node-a', {}))
  const w = await workerFor(k, 'web')
  await until(w, (p) => !!p.status?.containerStatuses?.[0]?.state?.running)
  t.match(k.podManager!.lookupLog('default', 'web', 'main')?.path, /pods\/[^/]+\/logs\/main\.log$/)
  t.equal(k.podManager!.lookupLog('default', 'web', 'other'), undefined)
  t.equal(k.podManager!.lookupLog('prod', 'web', 'main'), undefined)
})
