import t from 'tap'
import { KPLAB_GIT_VERSION, versionInfo } from '../../../src/apiserver/discovery/version.js'

t.test('reports 1.32 so the kubectl dispatcher runs kubectl 1.32', async (t) => {
  const v = versionInfo()
  t.equal(v.major, '1')
  t.equal(v.minor, '32')
  t.equal(v.gitVersion, 'v1.32.0-kplab')
  t.equal(KPLAB_GIT_VERSION, v.gitVersion)
  t.match(v.gitVersion, /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'parses as semver')
  t.equal(v.gitTreeState, 'clean')
  t.match(v.platform, /^\w+\/\w+$/)
  for (const k of ['gitCommit', 'buildDate', 'goVersion', 'compiler'] as const) t.type(v[k], 'string')
})

t.test('fields can be overridden', async (t) => {
  t.equal(versionInfo({ gitCommit: 'abc' }).gitCommit, 'abc')
  t.equal(versionInfo({ gitCommit: 'abc' }).minor, '32')
})
