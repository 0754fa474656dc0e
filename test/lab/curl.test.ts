// kplab curl on a local lab: ClusterIP URLs reach the userspace proxy's listener, one line per answer
// and a per-pod summary; origins resolve to a machine or a pod's namespace in a netns lab.
import t, { type Test } from 'tap'
import { join } from 'node:path'
import { resourceByName } from '../../src/api/registry.js'
import { realClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { loadKubeconfig } from '../../src/client/kubeconfig.js'
import { RestClient } from '../../src/client/rest-client.js'
import { podNamespaceOf, resolveOrigin, runCurl, type CurlLab } from '../../src/lab/curl.js'
import { deleteAndWait, httpGet, waitForProxyPort, waitForReadyEndpoints, type ProxyPortRow } from '../../src/lab/experiment-cluster.js'
import { groupDeployment, experimentService } from '../../src/lab/experiment.js'
import { validateExperiment } from '../../src/lab/experiment-spec.js'
import { podNetnsName } from '../../src/kubelet/network/netns.js'
import { hasCommand, requireCapability } from '../support/env.js'
import { SOURCE_LAUNCHER, startTestLab } from '../support/local-lab.js'

// Whole clusters of processes start in these tests: on a loaded 2-core machine that takes minutes.
t.setTimeout(480_000)

t.test('origins: the client machine by default, a node by name, a pod by its namespace', async (t) => {
  const lab: CurlLab = {
    mode: 'netns',
    kubeconfig: '/nonexistent',
    nodes: ['node1', 'node2'],
    execPrefix: (m) => ['ip', 'netns', 'exec', `kplab-lab-${m}`],
    exec: () => Promise.reject(new Error('unused')),
    proxyMetricsURL: () => 'http://127.0.0.1:1',
    serviceAddress: () => Promise.reject(new Error('unused')),
  }
  t.same(await resolveOrigin(lab, undefined, 'default'), { kind: 'machine', machine: 'client' })
  t.same(await resolveOrigin(lab, 'node2', 'default'), { kind: 'machine', machine: 'node2' })
  t.same(await resolveOrigin({ ...lab, mode: 'local' }, 'node2', 'default'), { kind: 'host' }, 'local lab: always the host')
  for (const uid of ['abcd-ef01-2345', '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'x']) {
    t.equal(podNamespaceOf('kplab-lab-node1', uid), podNetnsName('kplab-lab-node1', uid), `curl names pod ${uid}'s namespace as the kubelet does`)
  }
})

t.test('kplab curl on a local lab: a ClusterIP URL, one line per answer, a per-pod summary', async (t) => {
  if (!requireCapability(t, hasCommand('openssl'), 'openssl not on PATH (needed for the serving certificate)')) return
  const dir = t.testdir({})
  const lab = await startTestLab(t, join(dir, 'lab'), 253)
  const exp = validateExperiment({ deploy: { groups: [{ name: 'web', replicas: 2 }] }, rounds: [{ algorithm: 'round-robin' }] }, { name: 'curlt' })
  const client = new RestClient(loadKubeconfig({ explicitPath: lab.kubeconfig }), { userAgent: 'test' })
  t.teardown(() => client.close())
  await client.create(resourceByName('deployments')!, groupDeployment(exp, exp.groups[0]!), { namespace: 'default' })
  await client.create(resourceByName('services')!, experimentService(exp), { namespace: 'default' })
  try {
    await checkCurl(t, lab, client)
  } finally {
    // Stopped kubelets leave pods running (for adoption): take the workload down while they run.
    await deleteAndWait(client, 'default', [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'curlt-web' }], 'app=curlt', realClock)
  }
})

async function checkCurl(t: Test, lab: CurlLab, client: RestClient): Promise<void> {
  await waitForReadyEndpoints(client, 'default', 'curlt', 2, realClock)
  const row = await waitForProxyPort(lab.proxyMetricsURL('node1'), 'default/curlt:http', { endpoints: 2 }, realClock)
  const rows = JSON.parse(await httpGet(`${lab.proxyMetricsURL('node1')}/ports`)) as ProxyPortRow[]
  t.ok(rows.some((r) => r.proxyPort === row.proxyPort && r.clusterIP), 'the proxy lists the ClusterIP')
  let out = ''
  const res = await runCurl({ lab, url: `http://${row.clusterIP}:80/`, requests: 10, launcher: SOURCE_LAUNCHER, clock: realClock, rng: seededRng(1), out: { write: (s: string) => (out += s) } })
  t.match(out, new RegExp(`is served at http://127\\.0\\.0\\.1:${row.proxyPort}/`))
  t.equal(out.match(/^\s+\d+ {2}curlt-web-\S+ \(node\d\)\s+200\s/gm)?.length, 10, 'one line per answer')
  t.same(Object.values(res.pods).map((p) => p.count), [5, 5], 'round-robin over two pods (new connection per request)')
  t.match(out, /^curlt-web-\S+\s+node\d\s+5\s+50\.0%/m)
  t.match(out, /10 requests, 10 ok, 0 errors/)
}
