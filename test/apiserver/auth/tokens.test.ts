import t from 'tap'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TokenAuthenticator } from '../../../src/apiserver/auth/tokens.js'

t.test('parses upstream token CSV with quoted groups', async (t) => {
  const a = TokenAuthenticator.fromCsv('# comment\ns3cr3t,admin,uid-1,"system:masters,devs"\n\nplain,bob,uid-2\n')
  t.same(a.authenticate('Bearer s3cr3t'), { name: 'admin', uid: 'uid-1', groups: ['system:masters', 'devs'] })
  t.same(a.authenticate('bearer plain'), { name: 'bob', uid: 'uid-2', groups: [] })
})

t.test('rejects missing, malformed and wrong tokens', async (t) => {
  const a = TokenAuthenticator.fromCsv('s3cr3t,admin,uid-1\n')
  for (const h of [undefined, '', 'Basic s3cr3t', 'Bearer', 'Bearer s3cr3', 'Bearer s3cr3t2', 'Bearer s3cr3t extra']) t.equal(a.authenticate(h), undefined, String(h))
})

t.test('bad files name the line and the fix', async (t) => {
  t.throws(() => TokenAuthenticator.fromCsv('onlytoken\n', 'tokens.csv'), { message: /tokens.csv:1: need at least token,user,uid/ })
  t.throws(() => TokenAuthenticator.fromCsv('\n# nothing\n', 'tokens.csv'), { message: /no tokens/ })
})

t.test('fromFile', async (t) => {
  const dir = t.testdir()
  const f = join(dir, 'tokens.csv')
  await writeFile(f, 'abc,u,1\n')
  t.ok((await TokenAuthenticator.fromFile(f)).authenticate('Bearer abc'))
})
