import t from 'tap'
import '../../src/api/schemas/index.js'
import { pruneUnknownFields, unknownFieldMessage, unknownFields } from '../../src/api/strict.js'
import { VALID, deployment, pod, res, service } from './fixtures.js'

t.test('valid manifests of every kind have no unknown fields', async (t) => {
  for (const [kind, make] of Object.entries(VALID)) t.same(unknownFields(res(kind), make()), [], kind)
})

t.test('unknown fields are reported by dotted path with list indexes', async (t) => {
  const d = deployment() as any
  d.spec.replicaz = 3
  d.spec.template.spec.containers[0].imagee = 'nginx'
  d.spec.template.metadata.labelz = {}
  d.extra = true
  t.same(unknownFields(res('Deployment'), d), ['spec.template.metadata.labelz', 'spec.template.spec.containers[0].imagee', 'spec.replicaz', 'extra'])
  t.equal(unknownFieldMessage('spec.replicaz'), 'unknown field "spec.replicaz"')
})

t.test('maps accept any key, free-form fields accept anything', async (t) => {
  const p = pod() as any
  p.metadata.labels['any/key'] = 'v'
  p.metadata.managedFields = [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }]
  p.spec.containers[0].securityContext = { runAsUser: 1000, whatever: true }
  p.spec.volumes = [{ name: 'data', emptyDir: { medium: 'Memory' } }]
  p.spec.containers[0].resources = { limits: { cpu: '1' } }
  t.same(unknownFields(res('Pod'), p), [])
  p.spec.volumes[0].emptyDirr = {}
  p.spec.containers[0].ports[0].containerPortt = 1
  t.same(unknownFields(res('Pod'), p), ['spec.containers[0].ports[0].containerPortt', 'spec.volumes[0].emptyDirr'], 'in document order')
})

t.test('wrong shapes are not unknown fields (a decode error elsewhere)', async (t) => {
  const s = service() as any
  s.spec.ports = 'eighty'
  s.spec.selector = null
  t.same(unknownFields(res('Service'), s), [])
})

t.test('pruneUnknownFields removes them in place and reports what it removed', async (t) => {
  const s = service() as any
  s.spec.portz = []
  s.spec.ports[1].nodeport = 30080
  s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipp: 'x' }] } }
  const removed = pruneUnknownFields(res('Service'), s)
  t.same(removed, ['spec.ports[1].nodeport', 'spec.portz', 'status.loadBalancer.ingress[0].ipp'])
  t.same(unknownFields(res('Service'), s), [])
  t.same(s.spec.ports[1], { name: 'metrics', port: 9090 })
  t.same(s.status.loadBalancer.ingress[0], { ip: '1.2.3.4' })
})

t.test('an unregistered kind knows everything', async (t) => {
  t.same(unknownFields({ kind: 'Widget' }, { spec: { anything: 1 } }), [])
})
