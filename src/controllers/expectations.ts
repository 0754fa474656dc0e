// Creations and deletions a controller has asked for but not yet seen in its informer, so that a sync
// running before the informer catches up does not create (or delete) the same pods twice.
// upstream: pkg/controller/controller_utils.go (ControllerExpectations, ExpectationsTimeout = 5 min)
import type { Clock } from '../base/clock.js'

interface Expectation {
  add: number
  del: number
  at: number
}

/** Per-controller-key counters of pending adds and deletes; satisfied when both reach 0 or they expire. */
export class Expectations {
  private readonly items = new Map<string, Expectation>()

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = 5 * 60_000,
  ) {}

  /** Records that `add` creations and `del` deletions were requested for key. */
  expect(key: string, add: number, del: number): void {
    this.items.set(key, { add, del, at: this.clock.now() })
  }

  /** One expected creation was observed (or failed and will never be observed). */
  creationObserved(key: string): void {
    const e = this.items.get(key)
    if (e) e.add--
  }

  /** One expected deletion was observed. */
  deletionObserved(key: string): void {
    const e = this.items.get(key)
    if (e) e.del--
  }

  /** True when the controller may act on key again. */
  satisfied(key: string): boolean {
    const e = this.items.get(key)
    if (!e) return true
    if ((e.add <= 0 && e.del <= 0) || this.clock.now() - e.at > this.timeoutMs) return true
    return false
  }

  /** Forgets key (its controller object was deleted). */
  delete(key: string): void {
    this.items.delete(key)
  }
}
