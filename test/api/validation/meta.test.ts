import t from 'tap'
import { field } from '../../../src/api/errors.js'
import {
  TOTAL_ANNOTATION_SIZE_LIMIT,
  asList,
  asObj,
  asStr,
  nameFn,
  tooMany,
  validateAnnotations,
  validateImmutable,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../../../src/api/validation/meta.js'
import { isDNS1123Label, isDNS1123Subdomain } from '../../../src/api/validation/names.js'
import { lines, matchExactly } from '../fixtures.js'

const subdomain = nameFn(isDNS1123Subdomain)

t.test('name or generateName is required; namespace follows scope', async (t) => {
  t.same(lines(validateObjectMeta({ namespace: 'default' }, true, subdomain)), ['metadata.name: Required value: name or generateName is required'])
  t.same(validateObjectMeta({ generateName: 'web-', namespace: 'default' }, true, subdomain), [], 'generateName may end in a dash')
  t.same(lines(validateObjectMeta({ name: 'web' }, true, subdomain)), ['metadata.namespace: Required value'])
  t.same(lines(validateObjectMeta({ name: 'n', namespace: 'x' }, false, subdomain)), ['metadata.namespace: Forbidden: not allowed on this type'])
  matchExactly(t, lines(validateObjectMeta({ name: 'n', namespace: 'Bad' }, true, subdomain)), [/^metadata.namespace: Invalid value: "Bad": a lowercase RFC 1123 label/])
  matchExactly(t, lines(validateObjectMeta({ name: 'Web', namespace: 'default' }, true, nameFn(isDNS1123Label))), [
    /^metadata.name: Invalid value: "Web": a lowercase RFC 1123 label must consist of/,
  ])
})

t.test('labels: keys and values with upstream paths', async (t) => {
  t.same(validateLabels({ app: 'web', 'kubernetes.io/name': '' }, 'metadata.labels'), [])
  matchExactly(t, lines(validateLabels({ '-app': 'web' }, 'metadata.labels')), [/^metadata.labels: Invalid value: "-app": name part must consist of/])
  matchExactly(t, lines(validateLabels({ app: 'web server' }, 'metadata.labels')), [/^metadata.labels\[app\]: Invalid value: "web server": a valid label must be/])
  t.same(lines(validateLabels({ app: 3 }, 'metadata.labels')), ['metadata.labels[app]: Invalid value: 3: must be a string'])
})

t.test('annotations: keys qualified, total size limited', async (t) => {
  t.same(validateAnnotations({ 'kubectl.kubernetes.io/last-applied-configuration': '{}', MixedCase: 'ok' }, 'metadata.annotations'), [])
  t.same(lines(validateAnnotations({ big: 'x'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT) }, 'metadata.annotations')), [
    `metadata.annotations: Too long: may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`,
  ])
  matchExactly(t, lines(validateAnnotations({ 'a b': '' }, 'metadata.annotations')), [/^metadata.annotations: Invalid value: "a b"/])
})

t.test('ownerReferences and finalizers', async (t) => {
  const causes = validateObjectMeta(
    {
      name: 'a',
      namespace: 'default',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: '1', controller: true },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs2', uid: '', controller: true },
      ],
      finalizers: ['kubernetes.io/pv-protection', 'bad finalizer'],
    },
    true,
    subdomain,
  )
  matchExactly(t, lines(causes), [
    'metadata.ownerReferences[1].uid: Required value',
    /^metadata.ownerReferences: Invalid value: .*: Only one reference can have Controller set to true$/,
    /^metadata.finalizers\[1\]: Invalid value: "bad finalizer"/,
  ])
})

t.test('updates may not change name, namespace, uid or creationTimestamp', async (t) => {
  const old = { name: 'a', namespace: 'default', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' }
  t.same(validateObjectMetaUpdate({ ...old, labels: { x: 'y' } }, old), [])
  t.same(validateObjectMetaUpdate({ name: 'a', namespace: 'default' }, old), [], 'server-owned fields may be omitted')
  t.same(lines(validateObjectMetaUpdate({ ...old, name: 'b', uid: 'u2' }, old)), [
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ])
})

t.test('helpers', async (t) => {
  t.same(validateImmutable({ a: 1 }, { a: 1 }, 'x'), [])
  t.same(validateImmutable('b', 'a', 'spec.x'), [field.invalid('spec.x', 'b', 'field is immutable')])
  t.same(tooMany('endpoints', 1001, 1000), { reason: 'FieldValueTooMany', message: 'Too many: 1001: must have at most 1000 items', field: 'endpoints' })
  t.same(asObj([1]), {})
  t.same(asList([{ a: 1 }, 'x']), [{ a: 1 }, {}])
  t.equal(asStr(3), '')
})
