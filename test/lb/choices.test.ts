import t from 'tap'
import { seededRng } from '../../src/base/rng.js'
import { bestOfChoices } from '../../src/lb/choices.js'
import { EndpointState } from '../../src/lb/endpoint-set.js'
import { WeightedSampler } from '../../src/lb/weighted-sampler.js'

function setup(ws: number[]): { eps: EndpointState[]; sampler: WeightedSampler } {
  const eps = ws.map((w, i) => {
    const s = new EndpointState(`e${i}`)
    s.weight = w
    s.index = i
    return s
  })
  const sampler = new WeightedSampler()
  sampler.reset(eps, ws.every((w) => w === ws[0]))
  return { eps, sampler }
}

const byActive = (s: EndpointState): number => s.active

t.test('d draws are distinct even when the weights make repeats likely', async (t) => {
  const { eps, sampler } = setup([1000, 1, 1, 1])
  const scratch = new Int32Array(3)
  const rng = seededRng('distinct')
  let distinct = 0
  for (let i = 0; i < 500; i++) {
    bestOfChoices(eps, 3, sampler, rng, scratch, byActive)
    if (new Set(scratch).size === 3) distinct++
  }
  t.equal(distinct, 500)
})

t.test('d ≥ n scans all: the global least always wins', async (t) => {
  const { eps, sampler } = setup([1, 1, 1, 1])
  eps.forEach((s, i) => (s.active = [5, 2, 7, 3][i]!))
  const rng = seededRng('scan')
  const seen = new Set(Array.from({ length: 50 }, () => bestOfChoices(eps, 4, sampler, rng, new Int32Array(4), byActive)!.id))
  t.same([...seen], ['e1'])
  t.equal(bestOfChoices([], 2, sampler, rng, new Int32Array(2), byActive), undefined)
  t.equal(bestOfChoices(eps.slice(0, 1), 2, sampler, rng, new Int32Array(2), byActive), eps[0])
})
