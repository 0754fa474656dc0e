import t from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import { SYSTEM_NAMESPACES, ensureSystemNamespaces, reconcileKubernetesService } from '../../../src/apiserver/registry/system-objects.js'
import { newApp } from '../harness.js'

t.test('namespaces are made once; the kubernetes Service follows the port', async (t) => {
  const { app } = await newApp(t)
  const restFor = app.kplab.registry.restFor.bind(app.kplab.registry)
  await ensureSystemNamespaces(restFor)
  const ns = await restFor(RESOURCES.find((r) => r.kind === 'Namespace')!).list(undefined)
  t.same(ns.items.map((n) => n.metadata.name).sort(), [...SYSTEM_NAMESPACES].sort())
  const svcRest = restFor(RESOURCES.find((r) => r.kind === 'Service')!)
  const before = await svcRest.get('default', 'kubernetes')
  await reconcileKubernetesService(restFor, { serviceClusterIPRange: '10.96.0.0/12', securePort: 6443, advertiseAddress: '127.0.0.1' })
  t.equal((await svcRest.get('default', 'kubernetes')).metadata.resourceVersion, before.metadata.resourceVersion, 'nothing to change, nothing written')
  await reconcileKubernetesService(restFor, { serviceClusterIPRange: '10.96.0.0/12', securePort: 7000, advertiseAddress: '10.0.0.5' })
  const after = await svcRest.get('default', 'kubernetes')
  t.match(after.spec, { clusterIP: '10.96.0.1', ports: [{ targetPort: 7000 }] })
  const slice = await restFor(RESOURCES.find((r) => r.kind === 'EndpointSlice')!).get('default', 'kubernetes')
  t.match(slice, { endpoints: [{ addresses: ['10.0.0.5'] }], ports: [{ port: 7000 }] })
})
