import t from 'tap'
import { CommandError, KplabError, UsageError } from '../../src/base/errors.js'

t.test('errors carry their code and a readable message', async (t) => {
  const u = new UsageError('--nodes: must be a positive integer')
  t.ok(u instanceof KplabError)
  t.equal(u.code, 'EUSAGE')
  t.equal(u.name, 'UsageError')
  const c = new CommandError('iptables-restore', 2, 'line 1\nline 2\niptables-restore: line 7 failed\n')
  t.equal(c.code, 'ECOMMAND')
  t.equal(c.exitCode, 2)
  t.match(c.message, /iptables-restore failed \(exit 2\): line 1 \| line 2 \| iptables-restore: line 7 failed/)
})
