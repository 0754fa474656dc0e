import t from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { addKubeFlags, connect } from '../../src/cli/kube-flags.js'
import { memoryIo, writeKubeconfig } from '../support/cli-io.js'

t.test('flags parse as kubectl spells them', async (t) => {
  const cmd = addKubeFlags(new Command('x').exitOverride())
  cmd.parse(['--kubeconfig', '/k', '--context', 'c', '-n', 'team'], { from: 'user' })
  t.same(cmd.opts(), { kubeconfig: '/k', context: 'c', namespace: 'team' })
})

t.test('connect: --kubeconfig, else KUBECONFIG, else $HOME/.kube/config; -n overrides', async (t) => {
  const dir = t.testdir({})
  const a = writeKubeconfig(dir, 'http://127.0.0.1:1', 'from-a')
  mkdirSync(join(dir, 'home', '.kube'), { recursive: true })
  writeFileSync(join(dir, 'home', '.kube', 'config'), `current-context: h\nclusters: [{name: h, cluster: {server: "http://127.0.0.2:2"}}]\ncontexts: [{name: h, context: {cluster: h}}]\n`)
  const home = join(dir, 'home')
  const c1 = connect({ kubeconfig: a }, memoryIo({ HOME: home }))
  t.equal(c1.config.server, 'http://127.0.0.1:1')
  t.equal(c1.namespace, 'from-a')
  c1.close()
  const c2 = connect({}, memoryIo({ HOME: home, KUBECONFIG: a }))
  t.equal(c2.config.server, 'http://127.0.0.1:1')
  c2.close()
  const c3 = connect({ namespace: 'ns' }, memoryIo({ HOME: home }))
  t.equal(c3.config.server, 'http://127.0.0.2:2')
  t.equal(c3.namespace, 'ns')
  c3.close()
})
