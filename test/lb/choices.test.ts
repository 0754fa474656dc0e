import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { bestOfChoices, drawn } from '../../src/lb/choices.js'
import { EndpointSet } from '../../src/lb/endpoint-set.js'
import { WeightedSampler } from '../../src/lb/weighted-sampler.js'

function setup(ws: number[]): { set: EndpointSet; sampler: WeightedSampler } {
  const set = new EndpointSet()
  set.update(ws.map((w, i) => ({ id: `e${i}`, weight: w })))
  const sampler = new WeightedSampler()
  sampler.reset(set.pickable, set.weight, set.uniform)
  return { set, sampler }
}

t.test('d draws are distinct even when the weights make repeats likely', async (t) => {
  const { set, sampler } = setup([1000, 1, 1, 1])
  const scratch = new Int32Array(3)
  const rng = seededRng('distinct')
  let distinct = 0
  for (let i = 0; i < 500; i++) {
    bestOfChoices(set.pickable, 3, sampler, rng, scratch, (p) => set.active[p]!)
    if (new Set(scratch).size === 3) distinct++
  }
  t.equal(distinct, 500)
})

t.test('the least loaded of the draws wins; ties keep the earlier draw', async (t) => {
  const { set, sampler } = setup([1, 1, 1, 1, 1, 1])
  set.active.set([3, 1, 4, 1, 5, 9])
  const rng = seededRng('least')
  const scratch = new Int32Array(2)
  for (let i = 0; i < 200; i++) {
    const p = bestOfChoices(set.pickable, 2, sampler, rng, scratch, (q) => set.active[q]!)
    const [a, b] = [scratch[0]!, scratch[1]!]
    const expected = set.active[b]! < set.active[a]! ? b : a
    if (p !== expected) return t.fail(`draws ${a}, ${b} gave ${p}`)
  }
  t.pass('every pick is the lower of its two draws, the first on a tie')
})

t.test('d ≥ n scans all: the global least always wins', async (t) => {
  const { set, sampler } = setup([1, 1, 1, 1])
  set.active.set([5, 2, 7, 3])
  const rng = seededRng('scan')
  const cost = (p: number): number => set.active[p]!
  const seen = new Set(Array.from({ length: 50 }, () => bestOfChoices(set.pickable, 4, sampler, rng, new Int32Array(4), cost)))
  t.same([...seen], [1])
  t.equal(bestOfChoices(new Int32Array(0), 2, sampler, rng, new Int32Array(2), cost), -1)
  t.equal(bestOfChoices(Int32Array.of(3), 2, sampler, rng, new Int32Array(2), cost), 3, 'one pickable: its position')
})

t.test('drawn looks only at the first k draws', async (t) => {
  const scratch = Int32Array.of(4, 7, 9)
  t.equal(drawn(scratch, 2, 7), true)
  t.equal(drawn(scratch, 2, 9), false)
  t.equal(drawn(scratch, 0, 4), false)
})
