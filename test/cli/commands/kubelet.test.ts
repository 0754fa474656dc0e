// `kplab kubelet` as a process: flags from the declarative list, a ready line, SIGTERM to stop.
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import { startControl } from '../../kubelet/harness.js'
import { runCli, spawnCli, waitForLine } from '../../support/run-cli.js'

t.test('--help lists the kubelet flags', async (t) => {
  const r = await runCli(['kubelet', '--help'])
  t.equal(r.code, 0)
  for (const f of ['--kubeconfig', '--hostname-override', '--node-ip', '--pod-cidr', '--root-dir', '--netns', '--pod-network', '--port', '--cpu', '--memory', '--max-pods', '--node-status-update-frequency', '--node-lease-duration-seconds']) {
    t.match(r.stdout, f)
  }
})

t.test('a bad flag fails with a message naming it', async (t) => {
  const r = await runCli(['kubelet', '--pod-network', 'bridge'])
  t.not(r.code, 0)
  t.match(r.stderr, '--pod-network: "bridge" is not supported; use netns or loopback')
})

t.test('runs, registers its node, prints the ready line and stops on SIGTERM', async (t) => {
  const c = await startControl(t)
  const dir = t.testdir()
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${c.url}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n`)
  const child = spawnCli(['kubelet', '--kubeconfig', kubeconfig, '--hostname-override', 'cli-node', '--pod-cidr', '10.244.8.0/24', '--root-dir', join(dir, 'root'), '--port', '0'], { KPLAB_LOG_LEVEL: 'silent' })
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  const m = await waitForLine(child, /^kplab kubelet cli-node serving on http:\/\/127\.0\.0\.1:(\d+)$/)
  const node = await c.client.get(RESOURCES.find((r) => r.plural === 'nodes')!, undefined, 'cli-node')
  t.equal((node.status as { daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } }).daemonEndpoints?.kubeletEndpoint?.Port, Number(m[1]))
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code] = (await exited) as [number | null]
  t.equal(code, 0)
})
