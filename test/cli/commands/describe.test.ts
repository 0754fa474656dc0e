import t from 'tap'
import { resourceByName } from '../../../src/api/registry.js'
import { runDescribe } from '../../../src/cli/commands/describe.js'
import { memoryIo, writeKubeconfig } from '../../support/cli-io.js'
import { FakeApiServer } from '../../support/fake-apiserver.js'

t.test('describe svc: fetches the Service, its EndpointSlices and its events', async (t) => {
  const server = await FakeApiServer.start()
  t.teardown(() => server.close())
  const kubeconfig = writeKubeconfig(t.testdir({}), server.url)
  const svc = server.put(resourceByName('svc')!, {
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  })
  server.put(resourceByName('endpointslices')!, {
    metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    ports: [{ port: 8080 }],
    endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }],
  })
  server.put(resourceByName('endpointslices')!, { metadata: { name: 'other', namespace: 'default', labels: { 'kubernetes.io/service-name': 'db' } }, ports: [{ port: 5432 }], endpoints: [{ addresses: ['10.244.9.9'] }] })
  const ev = (name: string, objName: string, reason: string) => ({
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Service', name: objName, namespace: 'default', uid: svc.metadata.uid },
    type: 'Normal',
    reason,
    message: `${reason} happened`,
    lastTimestamp: '2026-01-01T00:58:00Z',
    source: { component: 'kplab' },
  })
  server.put(resourceByName('events')!, ev('e1', 'web', 'Allocated'))
  server.put(resourceByName('events')!, ev('e2', 'db', 'Unrelated'))

  const io = memoryIo({ KUBECONFIG: kubeconfig })
  await runDescribe(['svc', 'web'], {}, io)
  const out = io.stdout()
  t.match(out, /^Endpoints: +10\.244\.1\.5:8080$/m)
  t.match(out, /^ {2}Normal +Allocated +2m +kplab +Allocated happened$/m)
  t.notMatch(out, /Unrelated|10\.244\.9\.9/)
  const evReq = server.requests.find((r) => r.url.includes('/events'))!
  t.match(decodeURIComponent(evReq.url), /fieldSelector=involvedObject\.name=web,involvedObject\.kind=Service,involvedObject\.namespace=default,involvedObject\.uid=/)
  t.ok(server.requests.some((r) => decodeURIComponent(r.url).includes('labelSelector=kubernetes.io/service-name=web')))
})

t.test('describe of a missing object fails with NotFound; a name is required', async (t) => {
  const server = await FakeApiServer.start()
  t.teardown(() => server.close())
  const kubeconfig = writeKubeconfig(t.testdir({}), server.url)
  await t.rejects(runDescribe(['pod', 'nope'], {}, memoryIo({ KUBECONFIG: kubeconfig })), { code: 404 })
  await t.rejects(runDescribe(['pod'], {}, memoryIo({ KUBECONFIG: kubeconfig })), { message: /describe needs a name/ })
})
