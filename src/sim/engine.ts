// One algorithm over one scenario: the entry point, backend membership (down, up, slow; the endpoint
// list the balancer sees, possibly late) and the end-of-run summary. The request flow is engine-core.ts.
import { EngineCore, DEAD, QUEUED, SERVING, SYNC, type RunOptions } from './engine-core.js'
import { jainIndex } from './metrics.js'
import type { AlgorithmReport } from './report/types.js'
import type { AlgorithmSpec, Scenario } from './scenario.js'

export { buildBalancer, type RunOptions } from './engine-core.js'

/** Simulates `spec` over `scenario` with `seed`; the same inputs give the same result, bit for bit. */
export function runAlgorithm(scenario: Scenario, spec: AlgorithmSpec, seed: number, opts: RunOptions = {}): AlgorithmReport {
  return new Engine(scenario, spec, seed, opts).run()
}

/** The full engine: the core's request flow plus membership changes and the summary. */
class Engine extends EngineCore {
  protected backendEvent(i: number): void {
    const e = this.events[i]!
    const b = e.backend
    if (e.type === 'slow') {
      this.speed[b] = e.speed
      return
    }
    const up = e.type === 'up' ? 1 : 0
    if (this.up[b] === up) return
    this.up[b] = up
    if (!up) this.fail(b)
    const delay = this.scenario.endpointUpdateDelay
    if (delay > 0) this.heap.push(this.now + delay, SYNC)
    else this.sync()
  }

  /** Backend b went down: its queued and in-service requests fail, and their connections move on. */
  private fail(b: number): void {
    const ri = this.req
    const hw = this.req.highWater
    const victims: number[] = []
    for (let r = 0; r < hw; r++) {
      const s = ri.state[r]!
      if (ri.backend[r] === b && (s === QUEUED || s === SERVING)) victims.push(r)
    }
    this.qHead[b] = -1
    this.qTail[b] = -1
    for (const r of victims) {
      const k = ri.conn[r]!
      if (ri.state[r] === SERVING) {
        this.busy[b]!--
        // Its departure is still in the heap; the slot is freed when it fires.
        ri.state[r] = DEAD
      } else {
        this.req.free(r)
      }
      this.load[b]!--
      this.totalLoad--
      this.failed++
      if (this.perRequest) {
        this.finish(b, false, 0)
        this.after(k)
      } else {
        const ci = this.conn
        this.failed += ci.left[k]! - 1
        ci.left[k] = 0
        ci.failed[k] = 1
        this.close(k)
      }
    }
  }

  /** Tells the balancer which backends are up (the endpoint list kube-proxy or a proxy would see). */
  protected sync(): void {
    let left = false
    for (let i = 0; i < this.nb; i++) {
      if (this.up[i] === 0 && this.listed[i] === 1) left = true
      this.listed[i] = this.up[i]!
    }
    if (left) this.epoch++
    // Columns, not a million {id, weight, ready} objects; the balancer copies what it keeps.
    this.balancer.update({ ids: this.ids, weights: this.weights, ready: this.listed })
  }

  protected result(): AlgorithmReport {
    this.sample()
    const assigned = new Float64Array(this.assignedCounts())
    let total = 0
    for (let b = 0; b < this.nb; b++) total += assigned[b]!
    const perWeight = new Float64Array(this.nb)
    for (let b = 0; b < this.nb; b++) perWeight[b] = this.weights[b]! > 0 ? assigned[b]! / this.weights[b]! : 0
    const h = this.hist
    // The share is built on first read: an object with a million keys takes seconds, and a run with
    // a million backends (balls into bins) usually wants only the maximum load. JSON, the table and
    // the charts read it like a plain property, in the same key position.
    const ids = this.ids.list
    const counts = assigned
    let share: Record<string, number> | undefined
    const quantiles = [0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1]
    return {
      name: this.spec.name,
      params: this.spec.params,
      label: this.spec.label,
      completed: this.completed,
      metrics: {
        maxLoad: this.maxLoad,
        meanLoad: this.now > 0 ? this.loadArea / (this.now * this.nb) : this.totalLoad / this.nb,
        meanResponseTime: h.mean(),
        p50: h.quantile(0.5),
        p99: h.quantile(0.99),
        p999: h.quantile(0.999),
        jain: jainIndex(perWeight),
        get share(): Record<string, number> {
          return (share ??= buildShare(ids, counts, total))
        },
        remapped: this.remapped,
        failed: this.failed,
      },
      samples: { responseCdf: h.count > 0 ? h.cdf(quantiles) : [], load: this.samples },
    }
  }
}

function buildShare(ids: readonly string[], assigned: Float64Array, total: number): Record<string, number> {
  const share: Record<string, number> = {}
  for (let b = 0; b < ids.length; b++) share[ids[b]!] = total > 0 ? assigned[b]! / total : 0
  return share
}
