import t from 'tap'
import type { Schema } from '../../../src/api/schema.js'
import { applyPatch, PATCH_CONTENT_TYPES } from '../../../src/apiserver/patch/index.js'

const svcSchema: Schema = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
    spec: {
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          listType: 'map',
          mergeKey: 'port',
          items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
        },
      },
    },
  },
}
const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web' } }, spec: { ports: [{ port: 80 }, { port: 443 }] } }

t.test('dispatches on Content-Type, parameters and case ignored', async (t) => {
  t.same(applyPatch('application/merge-patch+json; charset=utf-8', svc, { spec: { ports: [{ port: 8080 }] } }, svcSchema), {
    ...svc,
    spec: { ports: [{ port: 8080 }] },
  })
  t.same(applyPatch('Application/Strategic-Merge-Patch+JSON', svc, { spec: { ports: [{ port: 80, name: 'http' }] } }, svcSchema), {
    ...svc,
    spec: { ports: [{ port: 80, name: 'http' }, { port: 443 }] },
  })
  t.same(applyPatch('application/json-patch+json', svc, [{ op: 'remove', path: '/metadata/labels' }], svcSchema), { ...svc, metadata: { name: 'web' } })
})

t.test('raw bodies (string or Buffer) are decoded; bad JSON is a 400', async (t) => {
  t.same(applyPatch('application/merge-patch+json', svc, Buffer.from('{"metadata":{"labels":null}}'), svcSchema), { ...svc, metadata: { name: 'web' } })
  t.throws(() => applyPatch('application/merge-patch+json', svc, '{nope', svcSchema), { name: 'StatusError', code: 400, message: /not valid JSON/ })
})

t.test('server-side apply merges the applied config (YAML or JSON text) onto the object', async (t) => {
  const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    tier: fe\nspec:\n  ports:\n  - port: 80\n    name: http\n'
  t.same(applyPatch('application/apply-patch+yaml', svc, yaml, svcSchema), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } },
    spec: { ports: [{ port: 80, name: 'http' }, { port: 443 }] },
  })
  t.same(applyPatch('application/apply-patch+yaml', {}, JSON.stringify({ metadata: { name: 'x' } }), svcSchema), { metadata: { name: 'x' } })
  t.throws(() => applyPatch('application/apply-patch+yaml', svc, '- a\n- b\n', svcSchema), { name: 'StatusError', code: 400 })
  t.throws(() => applyPatch('application/apply-patch+yaml', svc, 'a: [', svcSchema), { name: 'StatusError', code: 400, message: /not valid YAML/ })
})

t.test('any other type is a 415 listing the accepted ones', async (t) => {
  t.equal(PATCH_CONTENT_TYPES.length, 4)
  t.throws(() => applyPatch('application/json', svc, {}, svcSchema), {
    name: 'StatusError',
    code: 415,
    reason: 'UnsupportedMediaType',
    message: /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json/,
  })
})
