import t from 'tap'
import { StatusError } from '../../src/api/errors.js'
import {
  fieldSelectorToString,
  isEverything,
  labelSelectorFromObject,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  selectableFields,
  selectorFromSet,
  selectorToString,
  supportedFields,
} from '../../src/api/selectors.js'
import { event, node, pod, res, service } from './fixtures.js'

const labels = { app: 'web', tier: 'front', version: '3', empty: '' }

t.test('label selector string forms match as upstream', async (t) => {
  const cases: [string, boolean][] = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['app notin (db, cache)', true],
    ['missing notin (x)', true],
    ['app notin (web)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['  app = web , tier in ( front ) ', true],
    ['version>2', true],
    ['version<3', false],
    ['app>2', false],
    ['empty=', true],
    ['empty in ()', true],
    ['example.com/role', false],
  ]
  for (const [s, want] of cases) t.equal(matchesLabels(parseLabelSelector(s), labels), want, JSON.stringify(s))
})

t.test('label selector parse errors are 400s naming the problem', async (t) => {
  const cases: [string, RegExp][] = [
    ['app in web', /found 'web', expected: '\('/],
    ['app in (web', /found 'EOS', expected: ',' or '\)'/],
    ['app=web,', /found 'EOS', expected: identifier/],
    ['=web', /found '=', expected: identifier/],
    ['app web', /found 'web', expected: '=', '!=', '==', 'in', 'notin', '>' or '<'/],
    ['app=web tier=x', /found 'tier', expected: ','/],
    ['-bad-=x', /invalid label key "-bad-"/],
    ['app=-bad-', /invalid label value: "-bad-": at key: "app"/],
    ['version>x', /must be an integer/],
    ['a/b/c=x', /invalid label key/],
  ]
  for (const [s, msg] of cases) {
    t.throws(() => parseLabelSelector(s), { code: 400, reason: 'BadRequest', message: msg }, s)
  }
  const err = (() => {
    try {
      parseLabelSelector('app in web')
    } catch (e) {
      return e
    }
  })()
  t.ok(err instanceof StatusError)
})

t.test('selectorToString is canonical and round-trips', async (t) => {
  const cases: [string, string][] = [
    ['tier=front,app==web', 'app=web,tier=front'],
    ['b notin (z,y),!a', '!a,b notin (y,z)'],
    ['x in (2,1,1), y', 'x in (1,2),y'],
    ['n>5,m<3,k!=v', 'k!=v,m<3,n>5'],
  ]
  for (const [input, want] of cases) {
    const sel = parseLabelSelector(input)
    t.equal(selectorToString(sel), want, input)
    t.same(parseLabelSelector(selectorToString(sel)), sel, `${input} round-trips`)
  }
})

t.test('labelSelectorFromObject: nil matches nothing, {} everything', async (t) => {
  t.notOk(matchesLabels(labelSelectorFromObject(undefined), labels))
  t.notOk(matchesLabels(labelSelectorFromObject(null), {}))
  t.ok(matchesLabels(labelSelectorFromObject({}), labels))
  t.ok(isEverything(labelSelectorFromObject({})))
  t.notOk(isEverything(labelSelectorFromObject(undefined)))
  const sel = labelSelectorFromObject({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['front', 'back'] },
      { key: 'legacy', operator: 'DoesNotExist' },
      { key: 'version', operator: 'Exists' },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
    ],
  })
  t.equal(selectorToString(sel), 'app=web,env notin (prod),!legacy,tier in (back,front),version')
  t.ok(matchesLabels(sel, labels))
  t.notOk(matchesLabels(sel, { ...labels, legacy: 'yes' }))
  t.notOk(matchesLabels(sel, { app: 'web', tier: 'front' }))
  t.ok(matchesLabels(selectorFromSet({ app: 'web' }), labels))
  t.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }), {
    code: 400,
    message: '"Equals" is not a valid label selector operator',
  })
  t.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), { code: 400, message: /can't be empty/ })
})

t.test('field selectors parse =, ==, != with escapes', async (t) => {
  t.same(parseFieldSelector(''), { requirements: [] })
  t.same(parseFieldSelector('metadata.name=web,status.phase!=Running,spec.nodeName==node-1').requirements, [
    { field: 'metadata.name', operator: '=', value: 'web' },
    { field: 'status.phase', operator: '!=', value: 'Running' },
    { field: 'spec.nodeName', operator: '=', value: 'node-1' },
  ])
  t.same(parseFieldSelector('metadata.name=a\\,b\\=c').requirements, [{ field: 'metadata.name', operator: '=', value: 'a,b=c' }])
  t.equal(fieldSelectorToString(parseFieldSelector('metadata.name=a\\,b')), 'metadata.name=a\\,b')
  t.same(parseFieldSelector('metadata.name=a,,spec.nodeName=b').requirements.length, 2, 'empty terms are skipped')
  t.same(parseFieldSelector('spec.nodeName=').requirements, [{ field: 'spec.nodeName', operator: '=', value: '' }])
  t.throws(() => parseFieldSelector('metadata.name'), { code: 400, message: "invalid selector: 'metadata.name'; can't understand 'metadata.name'" })
  t.throws(() => parseFieldSelector('=x'), { code: 400 })
})

t.test('matchesFields per kind', async (t) => {
  const p = pod() as any
  p.spec.nodeName = 'node-1'
  p.spec.schedulerName = 'default-scheduler'
  p.status = { phase: 'Running', podIP: '10.244.1.5' }
  const cases: [string, string, any, boolean][] = [
    ['Pod', 'metadata.name=web-1', p, true],
    ['Pod', 'metadata.namespace=default,metadata.name!=web-1', p, false],
    ['Pod', 'spec.nodeName=node-1', p, true],
    ['Pod', 'spec.nodeName=', p, false],
    ['Pod', 'spec.nodeName=', pod(), true],
    ['Pod', 'status.phase!=Succeeded,status.phase!=Failed', p, true],
    ['Pod', 'spec.schedulerName=default-scheduler', p, true],
    ['Pod', 'status.podIP=10.244.1.5', p, true],
    ['Pod', 'spec.hostNetwork=false', p, true],
    ['Event', 'involvedObject.kind=Pod,involvedObject.name=web-1', event(), true],
    ['Event', 'involvedObject.uid=u1,involvedObject.namespace=default,involvedObject.apiVersion=v1', event(), true],
    ['Event', 'reason=Scheduled,type=Normal,source=default-scheduler', event(), true],
    ['Event', 'type=Warning', event(), false],
    ['Event', 'involvedObject.fieldPath=', event(), true],
    ['Node', 'spec.unschedulable=false', node(), true],
    ['Node', 'spec.unschedulable=true', { ...node(), spec: { unschedulable: true } }, true],
    ['Node', 'metadata.name=node-1', node(), true],
    ['Service', 'spec.type=ClusterIP', { ...service(), spec: { type: 'ClusterIP', clusterIP: '10.96.0.10' } }, true],
    ['Service', 'spec.clusterIP=10.96.0.10', { ...service(), spec: { type: 'ClusterIP', clusterIP: '10.96.0.10' } }, true],
    ['Namespace', 'status.phase=Active', { metadata: { name: 'a' }, status: { phase: 'Active' } }, true],
    ['Lease', 'metadata.name=x', { metadata: { name: 'x' } }, true],
  ]
  for (const [kind, s, obj, want] of cases) t.equal(matchesFields(parseFieldSelector(s), res(kind), obj), want, `${kind} ${s}`)
})

t.test('unsupported field labels are 400 `field label not supported`', async (t) => {
  t.throws(() => matchesFields(parseFieldSelector('spec.replicas=3'), res('Deployment'), { metadata: {} }), {
    code: 400,
    reason: 'BadRequest',
    message: 'field label not supported: spec.replicas',
  })
  t.throws(() => parseFieldSelector('spec.nodeName=x', res('Service')), { message: 'field label not supported: spec.nodeName' })
  t.doesNotThrow(() => parseFieldSelector('spec.nodeName=x', res('Pod')))
  t.same(supportedFields(res('Lease')), ['metadata.name', 'metadata.namespace'])
  t.same(selectableFields(res('Node'), node()), { 'metadata.name': 'node-1', 'metadata.namespace': '', 'spec.unschedulable': 'false' })
})
