// What every controller is given, and what it gives back: one run(signal) loop.
import type { KubeObject } from '../api/meta.js'
import type { Clock } from '../base/clock.js'
import type { Logger } from '../base/logger.js'
import type { Informer } from '../client/informer.js'
import type { IndexFunc } from '../client/cache.js'
import type { RestClient } from '../client/rest-client.js'
import type { SharedInformerFactory } from './informer-factory.js'
import { WorkQueue, runWorkers } from './work-queue.js'

/** Shared dependencies of the controllers in one controller manager. */
export interface ControllerContext {
  client: RestClient
  clock: Clock
  informers: SharedInformerFactory
  logger: Logger
}

/** A controller: registers its informer handlers in the constructor, works in run() until the signal aborts. */
export interface Controller {
  readonly name: string
  run(signal: AbortSignal): Promise<void>
}

/** Adds an index to a shared informer unless another controller already added it. */
export function ensureIndex<T extends KubeObject>(inf: Informer<T>, name: string, fn: IndexFunc<T>): void {
  try {
    inf.addIndexer(name, fn)
  } catch {
    // Already registered by another controller sharing this informer: same name, same function.
  }
}

/**
 * The common shell of a queue-driven controller: waits for the informers, runs `workers` loops over
 * the queue calling sync(key), shuts the queue down when the signal aborts.
 */
export async function runQueue(
  ctx: ControllerContext,
  name: string,
  queue: WorkQueue,
  sync: (key: string) => Promise<void>,
  signal: AbortSignal,
  workers = 2,
): Promise<void> {
  signal.addEventListener('abort', () => queue.shutDown(), { once: true })
  await ctx.informers.waitForSync()
  if (signal.aborted) return
  await runWorkers(queue, sync, {
    workers,
    onError: (key, err) => ctx.logger.warn({ controller: name, key, err: (err as Error).message }, 'sync failed; retrying'),
  })
}

/** A work queue on the context's clock with kplab's defaults. */
export function newQueue(ctx: ControllerContext): WorkQueue {
  return new WorkQueue({ clock: ctx.clock, baseDelayMs: 5, maxDelayMs: 30_000 })
}
