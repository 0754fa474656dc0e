// One informer per resource, shared by every controller in the process, as client-go's
// SharedInformerFactory: controllers ask for the informers they need before start().
// upstream: staging/src/k8s.io/client-go/informers/factory.go
import type { KubeObject } from '../api/meta.js'
import { RESOURCES, type ResourceInfo } from '../api/registry.js'
import type { Clock } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import { Informer, type ListerWatcher } from '../client/informer.js'

/** Options of a SharedInformerFactory. */
export interface SharedInformerFactoryOptions {
  client: ListerWatcher
  clock: Clock
  logger?: Logger
  resyncPeriodMs?: number
}

/** Looks a resource up by plural name; throws for names kplab does not serve (a programming error). */
export function resource(plural: string): ResourceInfo {
  const r = RESOURCES.find((x) => x.plural === plural)
  if (!r) throw new Error(`unknown resource "${plural}"`)
  return r
}

/** Hands out one informer per resource plural and starts them all together. */
export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>()
  private started?: Promise<void>[]

  constructor(private readonly opts: SharedInformerFactoryOptions) {}

  /** The shared informer of a resource (`factory.informer<Pod>('pods')`); created on first use. */
  informer<T extends KubeObject>(plural: string): Informer<T> {
    let inf = this.informers.get(plural)
    if (!inf) {
      if (this.started) throw new Error(`informer for ${plural} requested after start(): ask for every informer before starting`)
      inf = new Informer<KubeObject>({ client: this.opts.client, resource: resource(plural), clock: this.opts.clock, logger: this.opts.logger ?? silentLogger(), resyncPeriodMs: this.opts.resyncPeriodMs })
      this.informers.set(plural, inf)
    }
    return inf as unknown as Informer<T>
  }

  /** Starts every informer requested so far; resolves when all have stopped. */
  start(signal: AbortSignal): Promise<void> {
    this.started = [...this.informers.values()].map((i) => i.start(signal))
    return Promise.all(this.started).then(() => undefined)
  }

  /** Resolves once every informer has listed once. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.synced))
  }
}
