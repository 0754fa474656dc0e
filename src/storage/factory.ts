import type { Clock } from '../base/clock.js'
import type { Logger } from '../base/logger.js'
import { StoreUnavailableError } from './errors.js'
import { EmbeddedStore } from './embedded/store.js'
import { EtcdStore } from './etcd/store.js'
import type { Store } from './store.js'

/** Which store to build and where its data lives. */
export interface CreateStoreOptions {
  /** `embedded` (the default: log + snapshots in dataDir, or memory-only without it) or `etcd3`. */
  backend: 'embedded' | 'etcd3'
  /** Embedded: directory of the log and snapshots; omitted means memory-only. */
  dataDir?: string
  /** etcd3: client URLs (`--etcd-servers`). */
  etcdServers?: string[]
  clock?: Clock
  logger?: Logger
}

/** Builds (but does not open) the store a component runs on; call `open()` next. */
export function createStore(opts: CreateStoreOptions): Store {
  switch (opts.backend) {
    case 'embedded':
      return new EmbeddedStore({ dataDir: opts.dataDir, clock: opts.clock, logger: opts.logger })
    case 'etcd3':
      if (!opts.etcdServers?.length) {
        throw new StoreUnavailableError('--storage-backend etcd3 needs --etcd-servers (e.g. http://127.0.0.1:2379)')
      }
      return new EtcdStore({ endpoints: opts.etcdServers, clock: opts.clock })
    default:
      throw new StoreUnavailableError(`unknown storage backend "${String((opts as { backend: unknown }).backend)}": use embedded or etcd3`)
  }
}
