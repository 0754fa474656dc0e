import t from 'tap'
import type { KubeObject } from '../../src/api/meta.js'
import { LAST_APPLIED, applyMerge, jsonEqual, mergeKeyFor, threeWayMerge, withLastApplied } from '../../src/cli/apply-merge.js'

t.test('the manifest wins; fields only on the live object stay; removed fields go', async (t) => {
  const live = { spec: { replicas: 1, paused: false, strategy: { type: 'RollingUpdate' } }, status: { replicas: 1 }, metadata: { labels: { a: '1', b: '2', server: 'x' } } }
  const last = { spec: { replicas: 1, strategy: { type: 'RollingUpdate' } }, metadata: { labels: { a: '1', b: '2' } } }
  const want = { spec: { replicas: 3 }, metadata: { labels: { a: '1' } } }
  t.same(threeWayMerge(live, last, want), { spec: { replicas: 3, paused: false }, status: { replicas: 1 }, metadata: { labels: { a: '1', server: 'x' } } })
})

t.test('lists of objects merge by merge key, keeping server defaults', async (t) => {
  const live = { containers: [{ name: 'a', image: 'v1', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }, { name: 'sidecar', image: 's' }] }
  const last = { containers: [{ name: 'a', image: 'v1', ports: [{ containerPort: 80 }] }, { name: 'sidecar', image: 's' }] }
  const want = { containers: [{ name: 'a', image: 'v2', ports: [{ containerPort: 80 }, { containerPort: 443 }] }] }
  t.same(threeWayMerge(live, last, want), {
    containers: [{ name: 'a', image: 'v2', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }],
  })
  t.equal(mergeKeyFor('ports', [{ port: 80 }]), 'port', 'Service ports by port')
  t.equal(mergeKeyFor('args', ['x']), undefined, 'primitive lists replaced whole')
  t.same(threeWayMerge({ args: ['a', 'b'] }, undefined, { args: ['c'] }), { args: ['c'] })
})

t.test('items other writers added to a merged list stay', async (t) => {
  t.same(threeWayMerge({ env: [{ name: 'A', value: '1' }, { name: 'INJECTED', value: 'x' }] }, { env: [{ name: 'A', value: '1' }] }, { env: [{ name: 'A', value: '2' }] }), {
    env: [{ name: 'A', value: '2' }, { name: 'INJECTED', value: 'x' }],
  })
})

t.test('applyMerge: annotation written, resourceVersion kept, unchanged detected', async (t) => {
  const manifest: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }
  const created = withLastApplied(manifest)
  const annotation = created.metadata.annotations![LAST_APPLIED]!
  t.same(JSON.parse(annotation), { ...manifest, metadata: { ...manifest.metadata, annotations: {} } })
  t.ok(annotation.endsWith('}\n'))
  // What the server stored: the created object plus defaults and status.
  const live: KubeObject = {
    ...created,
    metadata: { ...created.metadata, uid: 'u', resourceVersion: '7' },
    spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], clusterIP: '10.96.0.5' },
    status: { loadBalancer: {} },
  }
  const again = applyMerge(live, manifest)
  t.ok(jsonEqual(again, live), 'same manifest → unchanged')
  const changed = applyMerge(live, { ...manifest, spec: { ports: [{ port: 80, name: 'http' }] } })
  t.equal(changed.metadata.resourceVersion, '7')
  t.same((changed.spec as { ports: unknown[] }).ports, [{ port: 80, protocol: 'TCP', targetPort: 80, name: 'http' }])
  t.same(changed.status, { loadBalancer: {} })
  t.equal((changed.spec as { clusterIP: string }).clusterIP, '10.96.0.5')
})

t.test('jsonEqual ignores undefined keys and compares deeply', async (t) => {
  t.ok(jsonEqual({ a: 1, b: undefined }, { a: 1 }))
  t.notOk(jsonEqual({ a: [1, 2] }, { a: [2, 1] }))
  t.notOk(jsonEqual({ a: 1 }, { a: 1, c: 2 }))
})
