// The endpoint bookkeeping every algorithm shares: validation, per-id state that survives updates,
// and the dense list of pickable endpoints the algorithms index into. State is kept in columns
// (typed arrays indexed by the endpoint's position in the last update), not one object per
// endpoint: a million endpoints cost a few arrays the garbage collector never scans, and a pick
// reads numbers from contiguous memory instead of chasing objects.
import type { EndpointColumns, EndpointList, EndpointSpec } from './balancer.js'
import { BalancerConfigError } from './errors.js'

/** Validates an endpoint list, naming the offending entry and field. */
export function validateEndpoints(endpoints: readonly EndpointSpec[]): void {
  if (!Array.isArray(endpoints)) throw new BalancerConfigError('endpoints', 'must be an array of { id, weight?, ready? }')
  const seen = new Set<string>()
  endpoints.forEach((ep, i) => {
    if (typeof ep?.id !== 'string' || ep.id === '') throw new BalancerConfigError(`endpoints[${i}].id`, 'must be a non-empty string')
    if (seen.has(ep.id)) throw new BalancerConfigError(`endpoints[${i}].id`, `duplicate id "${ep.id}"; each endpoint must appear once`)
    seen.add(ep.id)
    if (ep.weight !== undefined && !validWeight(ep.weight)) {
      throw new BalancerConfigError(`endpoints[${i}].weight`, `must be a finite number ≥ 0 (got ${String(ep.weight)})`)
    }
    if (ep.ready !== undefined && typeof ep.ready !== 'boolean') {
      throw new BalancerConfigError(`endpoints[${i}].ready`, `must be a boolean (got ${String(ep.ready)})`)
    }
  })
}

function validWeight(w: unknown): boolean {
  return typeof w === 'number' && Number.isFinite(w) && w >= 0
}

/**
 * An immutable list of distinct endpoint ids. Handing the same object to successive updates says
 * "same endpoints, same order": the balancer then keeps every position's state without matching
 * ids, which is what lets the simulator update a million endpoints in O(n) with no Map.
 */
export class EndpointIds {
  private byId: Map<string, number> | undefined

  /**
   * @param list the ids, in position order (not copied: do not mutate it afterwards)
   * @param checked true when the caller has already validated the list (skips the duplicate scan)
   */
  constructor(
    readonly list: readonly string[],
    checked = false,
  ) {
    if (!checked) {
      if (!Array.isArray(list)) throw new BalancerConfigError('endpoints.ids', 'must be an array of endpoint ids')
      const seen = new Map<string, number>()
      list.forEach((id, i) => {
        if (typeof id !== 'string' || id === '') throw new BalancerConfigError(`endpoints.ids[${i}]`, 'must be a non-empty string')
        if (seen.has(id)) throw new BalancerConfigError(`endpoints.ids[${i}]`, `duplicate id "${id}"; each endpoint must appear once`)
        seen.set(id, i)
      })
      // The duplicate scan already hashed every id: keep it as the lookup map.
      this.byId = seen
    }
  }

  /** Number of ids. */
  get length(): number {
    return this.list.length
  }

  /** The position of `id`, or -1. The map behind it is built on first use, so callers that address endpoints by position never pay for it. */
  indexOf(id: string): number {
    let m = this.byId
    if (m === undefined) {
      m = new Map()
      const list = this.list
      for (let i = 0; i < list.length; i++) m.set(list[i]!, i)
      this.byId = m
    }
    return m.get(id) ?? -1
  }
}

const NO_IDS = new EndpointIds([], true)

/** Whether `list` is the columnar form. */
export function isColumns(list: EndpointList): list is EndpointColumns {
  return !Array.isArray(list) && typeof list === 'object' && list !== null && (list as EndpointColumns).ids instanceof EndpointIds
}

/** The list as specs (for wrappers that keep specs; O(n) objects, so not for a million endpoints). */
export function toSpecs(list: EndpointList): readonly EndpointSpec[] {
  if (!isColumns(list)) return list
  const { ids, weights, ready } = list
  return ids.list.map((id, i) => ({ id, weight: weights === undefined ? 1 : weights[i]!, ready: ready === undefined ? true : ready[i] !== 0 }))
}

/** Validates the columnar form: column lengths match the ids, weights are finite and ≥ 0. */
export function validateColumns(list: EndpointColumns): void {
  const n = list.ids.length
  if (list.weights !== undefined) {
    if (list.weights.length !== n) throw new BalancerConfigError('endpoints.weights', `must have one weight per id (${n}, got ${list.weights.length})`)
    for (let i = 0; i < n; i++) {
      if (!validWeight(list.weights[i])) throw new BalancerConfigError(`endpoints.weights[${i}]`, `must be a finite number ≥ 0 (got ${String(list.weights[i])})`)
    }
  }
  if (list.ready !== undefined && list.ready.length !== n) throw new BalancerConfigError('endpoints.ready', `must have one entry per id (${n}, got ${list.ready.length})`)
}

/** The per-algorithm columns an EndpointSet can keep; each algorithm asks for the ones it uses. */
export type StateColumn = 'current' | 'lastPick' | 'heapPos' | 'ewma'

/**
 * The known endpoints by position, with the pickable ones (ready, weight > 0) listed densely.
 * weight, ready, active, slot and pickable always exist; the algorithm-specific columns only when
 * asked for (they stay empty otherwise), so a million endpoints under P2C cost five arrays.
 */
export class EndpointSet {
  /** The ids of the last update; position i of every column belongs to `ids.list[i]`. */
  ids: EndpointIds = NO_IDS
  /** Current weight (may be fractional while slow start ramps it). */
  weight = new Float64Array(0)
  /** 1 when ready. */
  ready = new Uint8Array(0)
  /** Started and not finished. */
  active = new Int32Array(0)
  /** Smooth weighted round-robin's current weight (nginx `current_weight`). */
  current = new Float64Array(0)
  /** Stride-scheduling pass, least-connection's tie-break. */
  lastPick = new Float64Array(0)
  /** Position in an algorithm's heap, or -1. */
  heapPos = new Int32Array(0)
  /** Peak-EWMA latency estimate in ms (NaN until the first sample) and the clock time (ms) of its last sample (both with 'ewma'). */
  ewma = new Float64Array(0)
  ewmaStamp = new Float64Array(0)
  /** Index in `pickable`, or -1 when not pickable. */
  slot = new Int32Array(0)
  /** Positions of the ready endpoints with weight > 0, in list order. */
  pickable = new Int32Array(0)
  /** Sum of the pickable endpoints' weights. */
  totalWeight = 0
  /** True when every pickable endpoint has the same weight (lets algorithms skip weighted paths). */
  uniform = true
  /** True when every endpoint is pickable, so `pickable[i] === i` and algorithms may skip the lookup. */
  dense = true
  private readonly columns: ReadonlySet<StateColumn>

  /** @param columns the algorithm-specific columns to keep (see StateColumn). */
  constructor(columns: readonly StateColumn[] = []) {
    this.columns = new Set(columns)
  }

  /** Number of endpoints. */
  get size(): number {
    return this.ids.length
  }

  /** The position of `id`, or -1 when it is not in the list. */
  indexOf(id: string): number {
    return this.ids.indexOf(id)
  }

  /**
   * Applies a new list, keeping the state of endpoints whose id stays. Returns true when the
   * pickable set, any weight or any position changed (the algorithm must rebuild). Throws
   * BalancerConfigError, changing nothing, when the list is invalid.
   */
  update(list: EndpointList): boolean {
    let ids: EndpointIds
    let weights: ArrayLike<number> | undefined
    let ready: ArrayLike<number> | undefined
    if (isColumns(list)) {
      validateColumns(list)
      ;({ ids, weights, ready } = list)
    } else {
      validateEndpoints(list)
      const n = list.length
      ids = new EndpointIds(
        list.map((e) => e.id),
        true,
      )
      const w = new Float64Array(n)
      const r = new Uint8Array(n)
      for (let i = 0; i < n; i++) {
        w[i] = list[i]!.weight ?? 1
        r[i] = list[i]!.ready === false ? 0 : 1
      }
      weights = w
      ready = r
    }
    const n = ids.length
    const prevPickable = this.pickable
    let changed = false
    if (!sameIds(this.ids, ids)) {
      this.remap(ids)
      changed = true
    }
    this.ids = ids
    const weight = this.weight
    const rd = this.ready
    let count = 0
    for (let i = 0; i < n; i++) {
      const w = weights === undefined ? 1 : weights[i]!
      if (weight[i] !== w) {
        weight[i] = w
        changed = true
      }
      const r = ready === undefined || ready[i] ? 1 : 0
      rd[i] = r
      if (r === 1 && w > 0) count++
    }
    // Second pass: slots, total and uniformity; the previous pickable array is kept when identical.
    let same = !changed && prevPickable.length === count
    const slot = this.slot
    let k = 0
    let total = 0
    let first = Number.NaN
    let uniform = true
    for (let i = 0; i < n; i++) {
      const w = weight[i]!
      if (rd[i] === 1 && w > 0) {
        if (same && prevPickable[k] !== i) same = false
        slot[i] = k++
        total += w
        if (k === 1) first = w
        else if (w !== first) uniform = false
      } else {
        slot[i] = -1
      }
    }
    if (!same) {
      const pickable = new Int32Array(count)
      for (let i = 0; i < n; i++) if (slot[i]! >= 0) pickable[slot[i]!] = i
      this.pickable = pickable
      changed = true
    }
    this.totalWeight = total
    this.uniform = uniform
    this.dense = count === n
    return changed
  }

  /** Moves every column to the positions of `ids`; new endpoints start fresh. */
  private remap(ids: EndpointIds): void {
    const n = ids.length
    const old = this.ids
    // from[i]: the previous position of the endpoint now at i, or -1 (none at all on the first update).
    let from: Int32Array | undefined
    if (old.length > 0) {
      from = new Int32Array(n)
      for (let i = 0; i < n; i++) from[i] = old.indexOf(ids.list[i]!)
    }
    const f64 = (src: Float64Array, dflt: number): Float64Array<ArrayBuffer> => {
      const a = new Float64Array(n)
      if (dflt !== 0) a.fill(dflt)
      if (from !== undefined) for (let i = 0; i < n; i++) if (from[i]! >= 0) a[i] = src[from[i]!]!
      return a
    }
    const i32 = (src: Int32Array, dflt: number): Int32Array<ArrayBuffer> => {
      const a = new Int32Array(n)
      if (dflt !== 0) a.fill(dflt)
      if (from !== undefined) for (let i = 0; i < n; i++) if (from[i]! >= 0) a[i] = src[from[i]!]!
      return a
    }
    const cols = this.columns
    // A new endpoint's weight is set by the caller's list right after; the update reports a change anyway.
    this.weight = f64(this.weight, 0)
    this.ready = new Uint8Array(n)
    this.active = i32(this.active, 0)
    if (cols.has('current')) this.current = f64(this.current, 0)
    if (cols.has('lastPick')) this.lastPick = f64(this.lastPick, 0)
    if (cols.has('heapPos')) this.heapPos = i32(this.heapPos, -1)
    if (cols.has('ewma')) {
      this.ewma = f64(this.ewma, Number.NaN)
      this.ewmaStamp = f64(this.ewmaStamp, 0)
    }
    this.slot = new Int32Array(n)
  }
}

function sameIds(a: EndpointIds, b: EndpointIds): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  const x = a.list
  const y = b.list
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}
