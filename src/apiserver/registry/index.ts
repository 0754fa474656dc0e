// The REST storage of every served resource, built once per API server.
import { RESOURCES, type ResourceInfo } from '../../api/registry.js'
import type { Clock } from '../../base/clock.js'
import type { Logger } from '../../base/logger.js'
import type { Store } from '../../storage/store.js'
import type { Admission } from '../admission/chain.js'
import { ResourceRest } from './rest.js'

/** One ResourceRest per served resource, sharing the store, clock and admission chain. */
export class RestRegistry {
  private readonly rests = new Map<ResourceInfo, ResourceRest>()

  constructor(opts: { store: Store; clock: Clock; admission: Admission; logger: Logger }) {
    const deps = { ...opts, restFor: (r: ResourceInfo) => this.restFor(r) }
    for (const r of RESOURCES) this.rests.set(r, new ResourceRest(r, deps))
  }

  /** The REST storage of a resource from RESOURCES. */
  restFor(r: ResourceInfo): ResourceRest {
    const rest = this.rests.get(r) ?? [...this.rests.values()].find((x) => x.resource.kind === r.kind && x.resource.group === r.group)
    if (!rest) throw new Error(`no REST storage for ${r.plural}: it is not in RESOURCES`)
    return rest
  }
}
