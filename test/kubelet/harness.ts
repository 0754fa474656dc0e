// Fixtures of the kubelet tests: the real API server (memory store) on loopback with a log-proxy
// token, and real kubelets in loopback pod-network mode on a shared FakeClock; every process a
// kubelet starts is killed by PID at teardown, even when the test fails.
import { once } from 'node:events'
import http from 'node:http'
import type { Test } from 'tap'
import { buildApiServer } from '../../src/apiserver/app.js'
import { RESOURCES } from '../../src/api/registry.js'
import type { Pod } from '../../src/api/types.js'
import { FakeClock } from '../../src/base/clock.js'
import { silentLogger } from '../../src/base/logger.js'
import { RestClient } from '../../src/client/rest-client.js'
import { Kubelet } from '../../src/kubelet/kubelet.js'
import type { CommandRunner } from '../../src/netns/exec.js'
import { resolveKubeletOptions, type KubeletOptions } from '../../src/kubelet/options.js'
import type { PodWorker } from '../../src/kubelet/pod-worker.js'
import { NodeProcessPort, processStartTicks, type ExitInfo, type ProcessHandle, type SpawnSpec } from '../../src/kubelet/runtime/process.js'
import { EmbeddedStore } from '../../src/storage/embedded/store.js'

/** Pods resource. */
export const PODS = RESOURCES.find((r) => r.plural === 'pods')!

/** The token the API server presents to kubelets and kubelets accept. */
export const TOKEN = 'kubelet-test-token'

/** An API server for kubelet tests. */
export interface Control {
  url: string
  client: RestClient
  clock: FakeClock
}

/** Starts the API server (plain HTTP on 127.0.0.1); closed on teardown. */
export async function startControl(t: Test): Promise<Control> {
  const clock = new FakeClock()
  const store = new EmbeddedStore({ clock })
  await store.open()
  const app = await buildApiServer({ store, clock, kubeletToken: TOKEN })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 'test' })
  t.teardown(async () => {
    client.close()
    await app.close()
    await store.close()
  })
  return { url, client, clock }
}

/** Exit promises of every process the test kubelets spawned, by PID (tests wait on them). */
export const exits = new Map<number, Promise<ExitInfo>>()

/** The real process port, remembering each spawned child's exit. */
class TrackingPort extends NodeProcessPort {
  override async spawn(spec: SpawnSpec): Promise<ProcessHandle> {
    const h = await super.spawn(spec)
    exits.set(h.pid, h.exited)
    return h
  }
}

/** Every PID any test kubelet ever started, killed (group) at process teardown as a last resort. */
const started = new Set<number>()

function killAll(): void {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
}
process.once('exit', killAll)

/** Starts a real kubelet for node `name` in loopback mode with root dir `rootDir`. */
export async function startKubelet(t: Test, c: Control, o: { name: string; rootDir: string; podCidr?: string; kill?: boolean; netns?: string; runner?: CommandRunner }): Promise<Kubelet> {
  const options: KubeletOptions = resolveKubeletOptions(
    {
      hostnameOverride: o.name,
      podCidr: o.podCidr ?? '10.244.7.0/24',
      rootDir: o.rootDir,
      port: '0',
      nodeStatusUpdateFrequency: '10s',
      ...(o.netns ? { podNetwork: 'netns', netns: o.netns } : {}),
    },
    { home: '/nonexistent', hostname: o.name, isRoot: !!o.netns },
  )
  const client = new RestClient({ server: c.url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 'test' })
  const kubelet = new Kubelet({
    options,
    client,
    clock: c.clock,
    logger: silentLogger(),
    processes: new TrackingPort(c.clock),
    runner: o.runner,
    tokens: [TOKEN],
    execPath: process.execPath,
    pathEnv: process.env.PATH ?? '/usr/bin:/bin',
    kernelVersion: 'test',
    architecture: 'amd64',
  })
  await kubelet.start()
  const track = (w: PodWorker): void => {
    w.on('started', (_c: string, pid: number) => started.add(pid))
  }
  kubelet.podManager!.on('worker', track)
  t.teardown(async () => {
    const pids = kubelet.podManager?.allWorkers().flatMap((w) => Object.values(w.pids())) ?? []
    await kubelet.stop()
    client.close()
    if (o.kill ?? true) for (const pid of pids) killGroup(pid)
  })
  return kubelet
}

/** SIGKILLs a process group by PID (test cleanup). */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** True while a PID runs (and is the same process when startTicks is given). */
export function running(pid: number, startTicks?: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  return startTicks === undefined || processStartTicks(pid) === startTicks
}

/** A pod bound to `node` (the scheduler's job, done by the test). */
export function boundPod(name: string, node: string, container: Partial<Pod['spec']['containers'][number]>, spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: node, terminationGracePeriodSeconds: 5, ...spec, containers: [{ name: 'main', image: 'kplab/echo', ...container }] },
  }
}

/** Resolves with the worker of pod `name` once the kubelet takes it on. */
export async function workerFor(k: Kubelet, name: string): Promise<PodWorker> {
  const pm = k.podManager!
  for (;;) {
    const w = pm.allWorkers().find((x) => x.pod.metadata.name === name)
    if (w) return w
    await once(pm, 'worker')
  }
}

/**
 * Resolves once pred holds on the worker's pod, re-checking after each status write or probe;
 * with advanceMs the clock moves forward before every wait (to run the next probe).
 */
export async function until(w: PodWorker, pred: (p: Pod) => boolean, opts: { clock?: FakeClock; advanceMs?: number } = {}): Promise<Pod> {
  for (;;) {
    if (pred(w.pod)) return w.pod
    const next = Promise.race([once(w, 'status'), once(w, 'probe')])
    if (opts.clock && opts.advanceMs) opts.clock.advance(opts.advanceMs)
    await next
  }
}

/** The pod's Ready condition status. */
export function ready(p: Pod): string | undefined {
  return p.status?.conditions?.find((c) => c.type === 'Ready')?.status
}

/** A GET over HTTP; resolves with status and body. */
export function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      .on('error', reject)
  })
}

/** A readiness probe that passes once the container listens on 8080 (period 1 s). */
export const TCP_READY = { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 1 }
