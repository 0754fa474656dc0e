import t from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import { compileFilter } from '../../../src/apiserver/registry/rest.js'
import { newApp, pod } from '../harness.js'

const pods = RESOURCES.find((r) => r.kind === 'Pod')!

t.test('compileFilter', async (t) => {
  t.equal(compileFilter(pods), undefined)
  const f = compileFilter(pods, 'app=web', 'spec.nodeName=n1')!
  t.ok(f({ metadata: { labels: { app: 'web' } }, spec: { nodeName: 'n1' } }))
  t.notOk(f({ metadata: { labels: { app: 'web' } }, spec: { nodeName: 'n2' } }))
  t.notOk(f({ metadata: {}, spec: { nodeName: 'n1' } }))
  t.throws(() => compileFilter(pods, 'a in (', undefined), { code: 400 })
})

t.test('guaranteedUpdate retries on a concurrent write, but not past a pinned resourceVersion', async (t) => {
  const { app, store } = await newApp(t)
  const rest = app.kplab.registry.restFor(pods)
  await rest.create('default', pod('p'), { warnings: [] })
  let raced = false
  const out = await rest.guaranteedUpdate('default', 'p', { warnings: [] }, 'main', async (cur) => {
    if (!raced) {
      raced = true
      // Someone else writes between our read and our write.
      const other = structuredClone(cur)
      other.metadata.labels = { ...other.metadata.labels, other: 'yes' }
      delete other.metadata.resourceVersion
      await store.update(rest.key('default', 'p'), other)
    }
    cur.metadata.labels = { ...cur.metadata.labels, mine: 'yes' }
    delete cur.metadata.resourceVersion
    return cur
  })
  t.match(out.metadata.labels, { other: 'yes', mine: 'yes' }, 'the second attempt saw the other write')
  await t.rejects(
    rest.guaranteedUpdate('default', 'p', { warnings: [] }, 'main', (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: '1' } })),
    { code: 409 },
  )
})

t.test('names that would break keys or paths are rejected', async (t) => {
  const { app } = await newApp(t)
  const rest = app.kplab.registry.restFor(pods)
  for (const name of ['a/b', '..', 'a%2F']) {
    await t.rejects(rest.create('default', { ...pod('x'), metadata: { name } }, { warnings: [] }), { code: 422 }, name)
  }
})
