import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { OutlierDetectionBalancer, type OutlierDetectionOptions } from '../../src/lb/outlier-detection.js'
import { RoundRobinBalancer } from '../../src/lb/round-robin.js'
import { endpointIds } from './synthetic-load.js'

const defaults: OutlierDetectionOptions = { consecutiveFailures: 3, ejectionSeconds: 30, maxEjectionPercent: 50 }

function setup(n = 3, opts = defaults): { b: OutlierDetectionBalancer; clock: FakeClock } {
  const clock = new FakeClock()
  const b = new OutlierDetectionBalancer(new RoundRobinBalancer(), clock, opts)
  b.update(endpointIds(n))
  return { b, clock }
}

function fail(b: OutlierDetectionBalancer, id: string, times: number): void {
  for (let i = 0; i < times; i++) {
    b.onStart(id)
    b.onFinish(id, { ok: false, durationMs: 1 })
  }
}

function picks(b: OutlierDetectionBalancer, n: number): string {
  return Array.from({ length: n }, () => b.pick()).join(' ')
}

t.test('N failures in a row eject an endpoint for T seconds, then it returns', async (t) => {
  const { b, clock } = setup()
  fail(b, 'e1', 2)
  t.equal(b.available('e1'), true, 'two failures are not enough')
  fail(b, 'e1', 1)
  t.equal(b.available('e1'), false)
  t.same([...b.ejected()], [['e1', clock.now() + 30_000]])
  t.equal(picks(b, 4), 'e0 e2 e0 e2')
  t.same(
    b.snapshot().find((s) => s.id === 'e1'),
    { id: 'e1', weight: 1, ready: true, available: false, active: 0 },
    'reported ready (the Service says so) but not available',
  )
  clock.advance(29_999)
  t.equal(b.pick(), 'e0')
  t.equal(b.available('e1'), false)
  clock.advance(1)
  t.ok(picks(b, 3).split(' ').includes('e1'), 'back after exactly 30 s')
  t.equal(b.available('e1'), true)
  t.same([...b.ejected()], [])
})

t.test('a success resets the count; only failures in a row count', async (t) => {
  const { b } = setup()
  fail(b, 'e0', 2)
  b.onStart('e0')
  b.onFinish('e0', { ok: true, durationMs: 1 })
  fail(b, 'e0', 2)
  t.equal(b.available('e0'), true)
  fail(b, 'e0', 1)
  t.equal(b.available('e0'), false)
})

t.test('a returning endpoint starts with a clean count', async (t) => {
  const { b, clock } = setup()
  fail(b, 'e0', 3)
  clock.advance(30_000)
  b.pick()
  fail(b, 'e0', 2)
  t.equal(b.available('e0'), true)
})

t.test('maxEjectionPercent caps ejections, and the last endpoint is never ejected', async (t) => {
  const { b } = setup(4)
  fail(b, 'e0', 3)
  fail(b, 'e1', 3)
  fail(b, 'e2', 3)
  t.same([...b.ejected().keys()], ['e0', 'e1'], '50% of 4')
  const two = setup(2, { ...defaults, maxEjectionPercent: 100 }).b
  fail(two, 'e0', 3)
  fail(two, 'e1', 3)
  t.same([...two.ejected().keys()], ['e0'], 'one must remain')
  t.equal(two.pick(), 'e1')
  const one = setup(1, { ...defaults, maxEjectionPercent: 100 }).b
  fail(one, 'e0', 10)
  t.equal(one.pick(), 'e0')
})

t.test('updates keep ejections of endpoints that stay and forget those that leave', async (t) => {
  const { b } = setup(3)
  fail(b, 'e0', 3)
  b.update(endpointIds(4))
  t.equal(b.available('e0'), false, 'still ejected after an update')
  t.equal(b.available('e3'), true)
  b.update([{ id: 'e1' }, { id: 'e2' }])
  t.same([...b.ejected()], [])
  b.update(endpointIds(3))
  t.equal(b.available('e0'), true, 'comes back fresh')
  fail(b, 'unknown', 5)
  t.same([...b.ejected()], [])
})
