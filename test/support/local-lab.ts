// A lab handle over startLocalCluster for tests of curl, experiments and the demo: the LabHandle
// contract in local mode, with a pod network octet of the test's own so parallel tests never clash.
import type { Test } from 'tap'
import { join } from 'node:path'
import { realClock } from '../../src/base/clock.js'
import { startLocalCluster } from '../../src/lab/local-cluster.js'
import type { CurlLab } from '../../src/lab/curl.js'
import { httpGet, type ProxyPortRow } from '../../src/lab/experiment-cluster.js'
import { CLI_ENTRY } from './run-cli.js'

/** The launcher that runs kplab from source. */
export const SOURCE_LAUNCHER = { execPath: process.execPath, execArgv: ['--import', 'tsx'], entry: CLI_ENTRY }

/** Starts a two-node local cluster in `dir` (stopped at teardown) and returns it as a local lab handle. */
export async function startTestLab(t: Test, dir: string, podNetworkOctet: number): Promise<CurlLab & { apiServerURL: string }> {
  const cluster = await startLocalCluster({ stateDir: join(dir, 'state'), nodes: 2, launcher: SOURCE_LAUNCHER, clock: realClock, podNetworkOctet, nodePrefix: 'node' })
  t.teardown(() => cluster.stop())
  return {
    mode: 'local',
    kubeconfig: cluster.kubeconfig,
    apiServerURL: cluster.apiServerURL,
    nodes: ['node1', 'node2'],
    execPrefix: () => [],
    exec: () => Promise.reject(new Error('exec is not used in local mode')),
    proxyMetricsURL: () => cluster.proxyMetricsURL,
    serviceAddress: async (namespace, service, port) => {
      const rows = JSON.parse(await httpGet(`${cluster.proxyMetricsURL}/ports`)) as ProxyPortRow[]
      const hit = rows.find((r) => r.servicePort === `${namespace}/${service}:${port}`)
      if (!hit) throw new Error(`no listener for ${namespace}/${service}:${port}`)
      return `127.0.0.1:${hit.proxyPort}`
    },
  }
}
