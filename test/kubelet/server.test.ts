// startKubelet: a kubeconfig file in, a registered Node and a listening endpoint out; stop() leaves
// the node agent's pods alone.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { RESOURCES } from '../../src/api/registry.js'
import type { Node } from '../../src/api/types.js'
import { resolveKubeletOptions } from '../../src/kubelet/options.js'
import { startKubelet } from '../../src/kubelet/server.js'
import { get, startControl } from './harness.js'

const NODES = RESOURCES.find((r) => r.plural === 'nodes')!

// A kubeconfig for the test API server.
function writeKubeconfig(dir: string, server: string, token: string): string {
  const file = join(dir, 'kubeconfig')
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\nusers:\n- name: u\n  user:\n    token: ${token}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n`,
  )
  return file
}

t.test('startKubelet registers the node from a kubeconfig and serves /healthz', async (t) => {
  const c = await startControl(t)
  const dir = t.testdir()
  const opts = resolveKubeletOptions(
    { kubeconfig: writeKubeconfig(dir, c.url, 'tok'), hostnameOverride: 'node-s', podCidr: '10.244.9.0/24', rootDir: join(dir, 'root'), port: '0' },
    { home: dir, hostname: 'x', isRoot: false },
  )
  const { kubelet, client } = await startKubelet(opts, { kubeconfig: {}, pathEnv: process.env.PATH ?? '', execPath: process.execPath }, { clock: c.clock })
  t.teardown(async () => {
    await kubelet.stop()
    client.close()
  })
  const node = await c.client.get<Node>(NODES, undefined, 'node-s')
  t.equal(node.status?.daemonEndpoints?.kubeletEndpoint?.Port, kubelet.port)
  t.equal(node.metadata.annotations?.['kplab.io/kubelet-scheme'], 'http')
  t.same(await get(`http://127.0.0.1:${kubelet.port}/healthz`), { status: 200, body: 'ok\n' })
})
