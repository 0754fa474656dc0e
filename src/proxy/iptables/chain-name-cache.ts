// Remembers KUBE-SEP names between syncs: hashing 100k endpoints costs more than a whole partial sync.
import { hash16 } from './chain-names.js'

/** A two-generation memo of endpoint chain names; `rotate()` after each sync drops unused ones. */
export class ChainNameCache {
  private current = new Map<string, string>()
  private previous = new Map<string, string>()

  /** `KUBE-SEP-` + hash16(servicePortName + protocol + endpoint), memoised. */
  endpointChain(servicePortName: string, protocol: string, endpoint: string): string {
    const key = servicePortName + protocol + endpoint
    let name = this.current.get(key)
    if (name !== undefined) return name
    name = this.previous.get(key) ?? `KUBE-SEP-${hash16(key)}`
    this.current.set(key, name)
    return name
  }

  /** Starts a new generation: names not used since the last rotate are forgotten at the next one. */
  rotate(): void {
    this.previous = this.current
    this.current = new Map()
  }

  /** Number of names held (both generations). */
  get size(): number {
    return this.current.size + this.previous.size
  }
}
