import t from 'tap'
import { join } from 'node:path'
import { parseManifests, readManifests } from '../../src/cli/manifests.js'

const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n'
const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n'

t.test('multi-document YAML, empty documents skipped', async (t) => {
  const ms = parseManifests(`---\n${deploy}---\n---\n${svc}`, 'm.yaml')
  t.same(ms.map((m) => `${m.object.kind}/${m.object.metadata.name}`), ['Deployment/web', 'Service/web'])
  t.equal(ms[0]!.source, 'm.yaml')
})

t.test('JSON and kind: List are expanded', async (t) => {
  const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'PodList', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' } }] }] })
  t.same(parseManifests(list, 'l.json').map((m) => m.object.metadata.name), ['a', 'b'])
})

t.test('errors name the file, the document and the field', async (t) => {
  t.throws(() => parseManifests(`${deploy}---\nkind: Service\nmetadata: {name: x}\n`, 'bad.yaml'), { message: 'error validating data from bad.yaml (document 2): apiVersion not set' })
  t.throws(() => parseManifests('apiVersion: v1\nkind: Pod\n', 'p.yaml'), { message: /p\.yaml \(document 1, Pod\): metadata\.name not set/ })
  t.throws(() => parseManifests('a: [', 'x.yaml'), { message: /error parsing x\.yaml: document 1/ })
  t.throws(() => parseManifests('- 1\n', 'x.yaml'), { message: /document 1 is not an object/ })
})

t.test('files, directories (sorted .yaml/.yml/.json only) and stdin', async (t) => {
  const dir = t.testdir({ 'b.yaml': svc, 'a.yml': deploy, 'notes.txt': 'ignored', 'c.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }) })
  t.same(readManifests(dir).map((m) => m.object.kind), ['Deployment', 'Service', 'Pod'])
  t.same(readManifests(join(dir, 'b.yaml')).map((m) => m.source), [join(dir, 'b.yaml')])
  t.same(readManifests('-', svc).map((m) => m.source), ['STDIN'])
  t.throws(() => readManifests(join(dir, 'nope.yaml')), { message: /the path ".*nope\.yaml" does not exist/ })
})
