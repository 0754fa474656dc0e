import t from 'tap'
import type { KubeObject } from '../../src/api/meta.js'
import { WriteTracker } from '../../src/controllers/write-tracker.js'

const obj = (name: string, rv: number): KubeObject => ({ metadata: { name, namespace: 'd', resourceVersion: String(rv) } })

t.test('our writes win over an older cache until the informer catches up', async (t) => {
  const w = new WriteTracker<KubeObject>()
  w.wrote(obj('new', 5))
  w.wrote(obj('upd', 7))
  const cached = [obj('upd', 6), obj('old', 3)]
  const merged = w.merge(cached, () => true)
  t.same(merged.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort(), ['new@5', 'old@3', 'upd@7'])
  t.same(w.merge(cached, (o) => o.metadata.name !== 'new').length, 2, 'the filter applies to objects only we know')
  w.observe(obj('upd', 7))
  t.equal(w.get('d/upd', obj('upd', 6))?.metadata.resourceVersion, '6', 'forgotten once observed')
  w.removed(obj('old', 3))
  t.same(w.merge(cached, () => true).map((o) => o.metadata.name).sort(), ['new', 'upd'], 'deleted by us: hidden even while cached')
  w.observe(obj('old', 3), true)
  t.equal(w.get('d/old', obj('old', 3))?.metadata.name, 'old')
})
