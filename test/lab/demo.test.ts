// The demo end to end: a local cluster of real processes (API server, controller manager, scheduler,
// two kubelets, a userspace proxy), the demo manifest, rules and round-robin traffic.
import t from 'tap'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { realClock } from '../../src/base/clock.js'
import { runDemo } from '../../src/lab/demo.js'
import { hasCommand, requireCapability } from '../support/env.js'
import { CLI_ENTRY } from '../support/run-cli.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

t.test('kplab demo brings up a cluster and spreads requests evenly over three pods', async (t) => {
  if (!requireCapability(t, hasCommand('openssl'), 'openssl not on PATH (needed for the serving certificate)')) return
  const dir = t.testdir({})
  let out = ''
  const cluster = await runDemo({
    stateDir: join(dir, 'state'),
    manifest: join(root, 'lab', 'manifests', 'demo.yaml'),
    launcher: { execPath: process.execPath, execArgv: ['--import', 'tsx'], entry: CLI_ENTRY },
    clock: realClock,
    out: { write: (s: string) => (out += s) },
    requests: 30,
    podNetworkOctet: 251, // pods on 127.251.x.y: no clash with kubelet tests running in parallel
    modeReason: 'test',
  })
  t.equal(cluster, undefined, 'the demo stopped its cluster')
  t.match(out, /3 ready endpoints after \d+ ms/)
  t.match(out, /-m statistic --mode random --probability 0\.3333333333 -j KUBE-SEP-/)
  t.match(out, /each with probability exactly 1\/3/)
  const counts = [...out.matchAll(/^ {3}(echo-\S+)\s+(\d+)\s+#+$/gm)].map((m) => Number(m[2]))
  t.same(counts, [10, 10, 10], 'round-robin: 10 requests to each of the three pods')
  t.match(out, /Deleting the workload and stopping the cluster/)
})
