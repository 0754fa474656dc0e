// Remembers KUBE-SEP names between syncs: hashing 100k endpoints costs more than a whole partial sync.
// Names are kept per service port, so a lookup costs one map probe with the endpoint string the
// endpoint already carries (no per-endpoint key concatenation, which made the memo itself GC-bound).
import { hash16 } from './chain-names.js'

/** The KUBE-SEP names of one service port for the current generation. */
export class ServicePortChainNames {
  /** endpoint (`ip:port`) → KUBE-SEP name, for names used in this generation. */
  readonly names = new Map<string, string>()

  constructor(
    private readonly servicePortName: string,
    private readonly protocol: string,
    private readonly previous: ReadonlyMap<string, string> | undefined,
  ) {}

  /** `KUBE-SEP-` + hash16(servicePortName + protocol + endpoint), memoised. */
  get(endpoint: string): string {
    let name = this.names.get(endpoint)
    if (name !== undefined) return name
    name = this.previous?.get(endpoint) ?? `KUBE-SEP-${hash16(this.servicePortName + this.protocol + endpoint)}`
    this.names.set(endpoint, name)
    return name
  }
}

/** A two-generation memo of endpoint chain names; `rotate()` after each sync drops unused ones. */
export class ChainNameCache {
  private current = new Map<string, ServicePortChainNames>()
  private previous = new Map<string, ServicePortChainNames>()

  /** The names of one service port in this generation (names used in the last one carry over). */
  forServicePort(servicePortName: string, protocol: string): ServicePortChainNames {
    const key = `${servicePortName}\t${protocol}`
    let port = this.current.get(key)
    if (port === undefined) {
      port = new ServicePortChainNames(servicePortName, protocol, this.previous.get(key)?.names)
      this.current.set(key, port)
    }
    return port
  }

  /** `KUBE-SEP-` + hash16(servicePortName + protocol + endpoint), memoised. */
  endpointChain(servicePortName: string, protocol: string, endpoint: string): string {
    return this.forServicePort(servicePortName, protocol).get(endpoint)
  }

  /** Starts a new generation: names not used since the last rotate are forgotten at the next one. */
  rotate(): void {
    this.previous = this.current
    this.current = new Map()
  }

  /** Number of names held (both generations). */
  get size(): number {
    let n = 0
    for (const gen of [this.current, this.previous]) for (const p of gen.values()) n += p.names.size
    return n
  }
}
