import t, { type Test } from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import { StatusError } from '../../../src/api/errors.js'
import type { KubeObject } from '../../../src/api/meta.js'
import { EmbeddedStore } from '../../../src/storage/embedded/store.js'
import { keyFor } from '../../../src/storage/keys.js'
import { Admission } from '../../../src/apiserver/admission/chain.js'
import { ServiceAllocation } from '../../../src/apiserver/admission/service-allocation.js'

const r = (kind: string) => RESOURCES.find((x) => x.kind === kind)!

async function setup(t: Test) {
  const store = new EmbeddedStore()
  await store.open()
  t.teardown(() => store.close())
  const allocation = new ServiceAllocation({ serviceClusterIPRange: '10.96.0.0/24', serviceNodePortRange: '30000-30010' })
  await store.create(keyFor(r('Namespace'), undefined, 'default'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' }, status: { phase: 'Active' } })
  await store.create(keyFor(r('Namespace'), undefined, 'going'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'going' }, status: { phase: 'Terminating' } })
  return { store, allocation, admission: new Admission({ store, allocation }) }
}

t.test('defaults run before validation and allocation', async (t) => {
  const { admission, allocation } = await setup(t)
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }
  const txn = await admission.admit('CREATE', r('Service'), svc)
  const spec = svc.spec as { type: string; clusterIP: string; ports: { protocol: string; targetPort: unknown }[] }
  t.equal(spec.type, 'ClusterIP', 'defaulted')
  t.equal(spec.ports[0]!.protocol, 'TCP')
  t.ok(allocation.ips.has(spec.clusterIP), 'allocated')
  txn.rollback()
  t.notOk(allocation.ips.has(spec.clusterIP))
})

t.test('namespace lifecycle: missing is 404, terminating is 403; cluster-scoped kinds skip it', async (t) => {
  const { admission } = await setup(t)
  const podIn = (ns: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec: { containers: [{ name: 'c', image: 'i' }] } })
  await t.rejects(admission.admit('CREATE', r('Pod'), podIn('nope')), { code: 404, message: 'namespaces "nope" not found' })
  await t.rejects(admission.admit('CREATE', r('Pod'), podIn('going')), { code: 403 })
  await admission.admit('CREATE', r('Pod'), podIn('default'))
  await admission.admit('CREATE', r('Node'), { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } })
  t.pass('admitted')
})

t.test('validation failures are 422 and release allocations', async (t) => {
  const { admission, allocation } = await setup(t)
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { clusterIP: '10.96.0.9', ports: [{ port: 0 }] } }
  const err = await admission.admit('CREATE', r('Service'), svc).catch((e: unknown) => e)
  t.ok(err instanceof StatusError)
  t.equal((err as StatusError).code, 422)
  t.notOk(allocation.ips.has('10.96.0.9'))
})
