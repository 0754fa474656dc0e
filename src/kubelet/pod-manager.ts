// Desired versus actual: the pods bound to this node (an informer with `spec.nodeName=NODE`) against
// the pod workers running here. A restarted kubelet reads the state dir first and adopts the
// processes of pods that still exist (same PIDs, no duplicates); those whose pod is gone are stopped.
// upstream: pkg/kubelet/kubelet.go (syncLoop, HandlePodAdditions/Updates/Removes, HandlePodCleanups)
import { EventEmitter } from 'node:events'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { RESOURCES } from '../api/registry.js'
import type { Pod } from '../api/types.js'
import { Informer } from '../client/informer.js'
import type { ContainerLogRef } from './logs.js'
import { PodWorker, podStatePath, type PodRecord, type PodWorkerDeps } from './pod-worker.js'

const PODS = RESOURCES.find((r) => r.plural === 'pods')!

/** Reads every pod record in ROOT/pods (unreadable ones are skipped). */
export function readPodRecords(rootDir: string): PodRecord[] {
  let uids: string[] = []
  try {
    uids = readdirSync(join(rootDir, 'pods'))
  } catch {
    return []
  }
  const out: PodRecord[] = []
  for (const uid of uids) {
    try {
      out.push(JSON.parse(readFileSync(podStatePath(rootDir, uid), 'utf8')) as PodRecord)
    } catch {
      // A pod dir without a state file: its worker never got a container running.
    }
  }
  return out
}

/**
 * Keeps this node's pods running. Events: 'worker' (PodWorker) when a pod is taken on,
 * 'terminated' (key) when a pod's worker has finished, 'orphansCleaned' after startup cleanup.
 */
export class PodManager extends EventEmitter {
  /** The informer of this node's pods. */
  readonly informer: Informer<Pod>
  private readonly workers = new Map<string, PodWorker>()
  private readonly records = new Map<string, PodRecord>()

  constructor(private readonly deps: PodWorkerDeps) {
    super()
    this.informer = new Informer<Pod>({
      client: deps.client,
      resource: PODS,
      clock: deps.clock,
      fieldSelector: `spec.nodeName=${deps.nodeName}`,
      logger: deps.logger,
    })
    this.informer.addEventHandler({
      onAdd: (p) => this.sync(p),
      onUpdate: (_o, p) => this.sync(p),
      onDelete: (p) => this.remove(p),
    })
  }

  /** The worker of a pod by UID. */
  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid)
  }

  /** Every worker, for status and tests. */
  allWorkers(): PodWorker[] {
    return [...this.workers.values()]
  }

  /** Finds a container's log by namespace/pod/container (what the log endpoint serves). */
  readonly lookupLog = (namespace: string, name: string, container: string): ContainerLogRef | undefined => {
    for (const w of this.workers.values()) {
      if (w.pod.metadata.namespace !== namespace || w.pod.metadata.name !== name) continue
      const path = w.logPath(container)
      return path ? { path } : undefined
    }
    return undefined
  }

  /** Loads the state dir, then lists and watches pods; after the first list, stops orphans. */
  async start(signal?: AbortSignal): Promise<void> {
    for (const r of readPodRecords(this.deps.rootDir)) this.records.set(r.uid, r)
    const running = this.informer.start(signal)
    await this.informer.synced
    await this.cleanupOrphans()
    this.emit('orphansCleaned')
    await running
  }

  /** Stops watching; pods keep running (a new kubelet adopts them). */
  stop(): void {
    this.informer.stop()
    for (const w of this.workers.values()) w.detach()
    this.workers.clear()
  }

  private sync(pod: Pod): void {
    const uid = pod.metadata.uid
    if (!uid) return
    const existing = this.workers.get(uid)
    if (existing) {
      existing.update(pod)
      return
    }
    const phase = pod.status?.phase
    const rec = this.records.get(uid)
    // A finished pod stays finished: a new kubelet does not rerun it.
    if (!rec && (phase === 'Succeeded' || phase === 'Failed')) return
    const worker = new PodWorker(pod, this.deps, rec)
    this.records.delete(uid)
    this.workers.set(uid, worker)
    const key = worker.key
    worker.once('terminated', () => {
      if (this.workers.get(uid) === worker) this.workers.delete(uid)
      this.emit('terminated', key)
    })
    this.emit('worker', worker)
    if (pod.metadata.deletionTimestamp && !rec) {
      // Deleted before it ever ran here: nothing to stop, only the final delete.
      void worker.terminate(0, true)
      return
    }
    void worker
      .start()
      .then(() => {
        if (pod.metadata.deletionTimestamp || worker.pod.metadata.deletionTimestamp) worker.update(worker.pod)
      })
      .catch((e: Error) => this.deps.logger.error({ pod: key, err: e.message }, 'pod start failed'))
  }

  private remove(pod: Pod): void {
    const w = this.workers.get(pod.metadata.uid ?? '')
    if (!w) return
    // Removed from the API without us (force delete): stop it with the pod's own grace period.
    void w.terminate(pod.spec.terminationGracePeriodSeconds ?? 30, false)
  }

  /** Pods recorded on disk that the API no longer binds here: stop their processes and free their addresses. */
  private async cleanupOrphans(): Promise<void> {
    for (const [uid, rec] of this.records) {
      if (this.workers.has(uid)) continue
      for (const c of Object.values(rec.containers)) {
        const h = this.deps.processes.adopt(c.pid, c.startTicks)
        if (h) this.deps.processes.kill(c.pid, 'SIGKILL')
      }
      await this.deps.network.teardown(uid).catch(() => undefined)
      rmSync(join(this.deps.rootDir, 'pods', uid), { recursive: true, force: true })
      this.records.delete(uid)
      this.deps.logger.info({ pod: `${rec.namespace}/${rec.name}`, uid }, 'stopped orphaned pod left by an earlier kubelet')
    }
  }
}
