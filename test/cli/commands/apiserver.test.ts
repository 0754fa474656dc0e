import t from 'tap'
import { Command } from 'commander'
import { registerApiserver } from '../../../src/cli/commands/apiserver.js'
import { APISERVER_FLAGS } from '../../../src/apiserver/options.js'

t.test('kplab apiserver has every flag of the declarative list, with defaults', async (t) => {
  const program = new Command('kplab')
  registerApiserver(program)
  const cmd = program.commands.find((c) => c.name() === 'apiserver')!
  t.ok(cmd)
  const longs = cmd.options.map((o) => o.long)
  for (const f of APISERVER_FLAGS) t.ok(longs.includes(f.flag.split(' ')[0]), f.flag)
  const help = cmd.helpInformation()
  t.match(help, /--service-cluster-ip-range <cidr>/)
  t.match(help, /default: "10\.96\.0\.0\/12"/)
})

t.test('a bad flag value fails with the flag named', async (t) => {
  const program = new Command('kplab').exitOverride()
  registerApiserver(program)
  await t.rejects(program.parseAsync(['node', 'kplab', 'apiserver', '--secure-port', 'x']), { message: /--secure-port/ })
  await t.rejects(program.parseAsync(['node', 'kplab', 'apiserver', '--service-cluster-ip-range', 'nope']), { message: /--service-cluster-ip-range: "nope"/ })
})
