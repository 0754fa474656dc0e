// An in-process control plane for tests: the real API server (memory store), the scheduler, the
// controller manager and fake kubelets (or real ones: startRealKubelet), all talking HTTP on loopback;
// plus event-driven waits.
import type { Test } from 'tap'
import type { KubeObject } from '../../src/api/meta.js'
import { RESOURCES } from '../../src/api/registry.js'
import { realClock, type Clock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { Informer } from '../../src/client/informer.js'
import { RestClient } from '../../src/client/rest-client.js'
import { ControllerManager, type ControllerSettings } from '../../src/controllers/controller-manager.js'
import { Kubelet } from '../../src/kubelet/kubelet.js'
import { resolveKubeletOptions } from '../../src/kubelet/options.js'
import type { PodWorker } from '../../src/kubelet/pod-worker.js'
import { NodeProcessPort } from '../../src/kubelet/runtime/process.js'
import { silentLogger } from '../../src/base/logger.js'
import { Scheduler, type SchedulerOptions } from '../../src/scheduler/scheduler.js'
import { FakeKubelet } from '../support/fake-kubelet.js'
import { startKplabApiServer } from '../support/kplab-apiserver.js'

/** A running in-process cluster. */
export interface TestCluster {
  url: string
  client: RestClient
  clock: Clock
  scheduler: Scheduler
  cm: ControllerManager
  kubelets: Map<string, FakeKubelet>
  /** Starts one more fake kubelet (node-<i>). */
  addNode(i: number, extra?: Partial<ConstructorParameters<typeof FakeKubelet>[0]>): Promise<FakeKubelet>
  /** A new client on the cluster (closed by nobody: keep-alive sockets are unref'd by the test end). */
  newClient(): RestClient
  /** Aborted at teardown, for extra components a test runs. */
  signal: AbortSignal
  /** A started informer on a resource, stopped at teardown. */
  watch<T extends KubeObject>(plural: string, namespace?: string): Promise<Informer<T>>
}

/** Resource info by plural. */
export const res = (plural: string) => RESOURCES.find((r) => r.plural === plural)!

/** Resolves once pred(cache) holds, checking after every watch event (never polls). */
export function waitFor<T extends KubeObject, R>(inf: Informer<T>, pred: (items: T[]) => R | undefined | false, what = 'condition'): Promise<R> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const r = pred(inf.cache.list())
      if (r) {
        inf.off('event', check)
        inf.off('stopped', onStop)
        resolve(r)
        return true
      }
      return false
    }
    const onStop = (): void => reject(new Error(`informer stopped before ${what}`))
    if (check()) return
    inf.on('event', check)
    inf.once('stopped', onStop)
  })
}

/** Starts the API server, scheduler, controller manager and `nodes` fake kubelets. */
export async function startCluster(t: Test, opts: { nodes: number; clock?: Clock; kubeletClock?: Clock; controllers?: string[]; settings?: ControllerSettings; scheduler?: Partial<SchedulerOptions> }): Promise<TestCluster> {
  const { url } = await startKplabApiServer(t)
  const clock = opts.clock ?? realClock
  const mk = (): RestClient => new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 'test' })
  const client = mk()
  const stop = new AbortController()
  const scheduler = new Scheduler({ client: mk(), clock, rng: seededRng(1), ...(opts.scheduler ?? {}) })
  const cm = new ControllerManager({ client: mk(), clock, controllers: opts.controllers, ...(opts.settings ?? {}) })
  const running = [scheduler.run(stop.signal), cm.run(stop.signal)]
  const kubelets = new Map<string, FakeKubelet>()
  const informers: Informer<KubeObject>[] = []
  t.teardown(async () => {
    for (const k of kubelets.values()) await k.stop()
    for (const i of informers) i.stop()
    stop.abort()
    await Promise.allSettled(running)
    client.close()
  })
  const cluster: TestCluster = {
    url,
    client,
    clock,
    scheduler,
    cm,
    kubelets,
    newClient: mk,
    signal: stop.signal,
    async addNode(i, extra = {}) {
      const k = new FakeKubelet({ client: mk(), clock: opts.kubeletClock ?? clock, nodeName: `node-${i}`, index: i, ...extra })
      kubelets.set(`node-${i}`, k)
      await k.start()
      return k
    },
    async watch<T extends KubeObject>(plural: string, namespace?: string) {
      const inf = new Informer<T>({ client, resource: res(plural), clock, namespace })
      informers.push(inf as unknown as Informer<KubeObject>)
      void inf.start()
      await inf.synced
      return inf
    },
  }
  for (let i = 1; i <= opts.nodes; i++) await cluster.addNode(i)
  return cluster
}

/**
 * Starts a real kubelet (processes, loopback pod network: 127.x.y.z per pod, no root) for node-<i>
 * on the cluster's clock, with pod CIDR 10.244.<cidrIndex>.0/24; at teardown it stops and every
 * process it ever started is killed by PID (process group), even when the test failed.
 */
export async function startRealKubelet(t: Test, c: TestCluster, i: number, cidrIndex: number, rootDir: string): Promise<Kubelet> {
  const name = `node-${i}`
  const options = resolveKubeletOptions(
    { hostnameOverride: name, podCidr: `10.244.${cidrIndex}.0/24`, rootDir, port: '0', nodeStatusUpdateFrequency: '10s' },
    { home: '/nonexistent', hostname: name, isRoot: false },
  )
  const client = c.newClient()
  const kubelet = new Kubelet({
    options,
    client,
    clock: c.clock,
    logger: silentLogger(),
    processes: new NodeProcessPort(c.clock),
    tokens: [],
    execPath: process.execPath,
    pathEnv: '/usr/bin:/bin',
    kernelVersion: 'test',
    architecture: 'amd64',
  })
  const pids = new Set<number>()
  t.teardown(async () => {
    await kubelet.stop()
    client.close()
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })
  await kubelet.start()
  kubelet.podManager!.on('worker', (w: PodWorker) => w.on('started', (_c: string, pid: number) => pids.add(pid)))
  return kubelet
}
