import t from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import type { KubeObject } from '../../../src/api/meta.js'
import { deepEqual, prepareForCreate, prepareForUpdate, rfc3339, statusUpdate, unchanged, withTypeMeta } from '../../../src/apiserver/registry/strategy.js'

const r = (kind: string) => RESOURCES.find((x) => x.kind === kind)!

t.test('rfc3339 drops milliseconds', async (t) => {
  t.equal(rfc3339(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05Z')
})

t.test('deepEqual ignores key order and undefined keys', async (t) => {
  t.ok(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }))
  t.ok(deepEqual({ a: 1, x: undefined }, { a: 1 }))
  t.notOk(deepEqual([1, 2], [2, 1]))
  t.notOk(deepEqual({ a: 1 }, { a: '1' }))
})

t.test('prepareForCreate resets system fields and status per kind', async (t) => {
  const p: KubeObject = { metadata: { name: 'p', resourceVersion: '9', deletionTimestamp: 'x' }, status: { phase: 'Running' } }
  prepareForCreate(r('Pod'), p)
  t.same(p.status, { phase: 'Pending' })
  t.equal(p.metadata.generation, 1)
  t.notOk(p.metadata.resourceVersion)
  t.notOk(p.metadata.deletionTimestamp)
  const d: KubeObject = { metadata: { name: 'd' }, status: { replicas: 3 } }
  prepareForCreate(r('Deployment'), d)
  t.notOk(d.status)
  const n: KubeObject = { metadata: { name: 'n' }, status: { addresses: [] } }
  prepareForCreate(r('Node'), n)
  t.ok(n.status, 'a node registers with its status')
  const ns: KubeObject = { metadata: { name: 'x' } }
  prepareForCreate(r('Namespace'), ns)
  t.same(ns.status, { phase: 'Active' })
  const ep: KubeObject = { metadata: { name: 'e' }, subsets: [] }
  prepareForCreate(r('Endpoints'), ep)
  t.same(ep.subsets, [])
})

t.test('prepareForUpdate keeps identity and status, bumps generation on spec change', async (t) => {
  const old: KubeObject = { metadata: { name: 'd', uid: 'u1', creationTimestamp: 'c', generation: 3 }, spec: { replicas: 1 }, status: { replicas: 1 } }
  const next: KubeObject = { metadata: { name: 'd', uid: 'other' }, spec: { replicas: 2 }, status: { replicas: 9 } }
  prepareForUpdate(r('Deployment'), next, old)
  t.equal(next.metadata.uid, 'u1')
  t.equal(next.metadata.creationTimestamp, 'c')
  t.equal(next.metadata.generation, 4)
  t.same(next.status, { replicas: 1 })
  const same: KubeObject = { metadata: { name: 'd', labels: { a: 'b' } }, spec: { replicas: 1 } }
  prepareForUpdate(r('Deployment'), same, old)
  t.equal(same.metadata.generation, 3)
})

t.test('node status changes only through nodes/status', async (t) => {
  const old: KubeObject = { metadata: { name: 'n' }, spec: {}, status: { addresses: [{ type: 'InternalIP', address: '192.168.56.11' }] } }
  const next: KubeObject = { metadata: { name: 'n' }, spec: { unschedulable: true }, status: {} }
  prepareForUpdate(r('Node'), next, old)
  t.same(next.status, old.status)
  t.same(next.spec, { unschedulable: true })
})

t.test('statusUpdate takes only the status', async (t) => {
  const old: KubeObject = { metadata: { name: 'd', labels: { a: 'b' } }, spec: { replicas: 1 } }
  const out = statusUpdate({ metadata: { name: 'd', labels: {} }, spec: { replicas: 5 }, status: { ready: 1 } }, old)
  t.same(out.spec, { replicas: 1 })
  t.same(out.metadata.labels, { a: 'b' })
  t.same(out.status, { ready: 1 })
})

t.test('unchanged ignores resourceVersion; withTypeMeta fills apiVersion and kind', async (t) => {
  t.ok(unchanged({ metadata: { name: 'a', resourceVersion: '1' } }, { metadata: { name: 'a', resourceVersion: '2' } }))
  t.notOk(unchanged({ metadata: { name: 'a' }, spec: { x: 1 } }, { metadata: { name: 'a' } }))
  t.match(withTypeMeta(r('Deployment'), { metadata: {} }), { apiVersion: 'apps/v1', kind: 'Deployment' })
})
