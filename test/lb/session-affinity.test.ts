import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { OutlierDetectionBalancer } from '../../src/lb/outlier-detection.js'
import { RandomBalancer } from '../../src/lb/random.js'
import { RoundRobinBalancer } from '../../src/lb/round-robin.js'
import { SessionAffinityBalancer } from '../../src/lb/session-affinity.js'

function setup(timeoutSeconds = 60): { b: SessionAffinityBalancer; clock: FakeClock } {
  const clock = new FakeClock()
  const b = new SessionAffinityBalancer(new RoundRobinBalancer(), clock, timeoutSeconds)
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  return { b, clock }
}

t.test('a client sticks to its first endpoint; others keep rotating underneath', async (t) => {
  const { b } = setup()
  t.equal(b.pick({ clientIP: '10.0.0.1' }), 'a')
  t.equal(b.pick({ clientIP: '10.0.0.2' }), 'b')
  for (let i = 0; i < 5; i++) t.equal(b.pick({ clientIP: '10.0.0.1' }), 'a')
  t.equal(b.pick({ clientIP: '10.0.0.3' }), 'c')
  t.equal(b.pick(), 'a', 'no client IP: plain round-robin')
  t.equal(b.algorithm, 'round-robin')
  t.equal(b.boundTo('10.0.0.2'), 'b')
})

t.test('the binding expires timeoutSeconds after its last use, and each use refreshes it', async (t) => {
  const { b, clock } = setup(60)
  t.equal(b.pick({ clientIP: '10.0.0.1' }), 'a')
  clock.advance(59_000)
  t.equal(b.pick({ clientIP: '10.0.0.1' }), 'a', 'used again within the timeout')
  clock.advance(59_000)
  t.equal(b.pick({ clientIP: '10.0.0.1' }), 'a', 'refreshed at the previous use')
  clock.advance(60_000)
  t.equal(b.boundTo('10.0.0.1'), undefined, 'expired exactly at the timeout')
  t.equal(b.pick({ clientIP: '10.0.0.1' }), 'b', 'the inner algorithm picks again')
  t.equal(b.pick({ clientIP: '10.0.0.1' }), 'b', 'and the new binding sticks')
})

t.test('expired bindings are swept, so the table does not grow without bound', async (t) => {
  const { b, clock } = setup(10)
  for (let i = 0; i < 100; i++) b.pick({ clientIP: `10.0.1.${i}` })
  t.equal(b.size, 100)
  clock.advance(10_000)
  b.pick({ clientIP: '10.0.2.1' })
  t.equal(b.size, 1)
})

t.test('a removed or unavailable endpoint releases its clients', async (t) => {
  const { b } = setup()
  t.equal(b.pick({ clientIP: '10.0.0.1' }), 'a')
  t.equal(b.pick({ clientIP: '10.0.0.2' }), 'b')
  b.update([{ id: 'b' }, { id: 'c' }])
  t.equal(b.boundTo('10.0.0.1'), undefined, 'dropped with its endpoint, as upstream')
  t.equal(b.pick({ clientIP: '10.0.0.2' }), 'b', 'others keep theirs')
  b.update([{ id: 'b', ready: false }, { id: 'c' }])
  t.equal(b.pick({ clientIP: '10.0.0.2' }), 'c', 'a not-ready endpoint is not used')
})

t.test('over outlier ejection: an ejected endpoint loses its clients', async (t) => {
  const clock = new FakeClock()
  const ejecting = new OutlierDetectionBalancer(new RandomBalancer(seededRng('aff')), clock, {
    consecutiveFailures: 1,
    ejectionSeconds: 30,
    maxEjectionPercent: 50,
  })
  const b = new SessionAffinityBalancer(ejecting, clock, 3600)
  b.update([{ id: 'a' }, { id: 'b' }])
  const first = b.pick({ clientIP: '10.0.0.1' })!
  b.onStart(first)
  b.onFinish(first, { ok: false, durationMs: 1 })
  t.equal(b.available(first), false)
  const other = first === 'a' ? 'b' : 'a'
  t.equal(b.pick({ clientIP: '10.0.0.1' }), other)
})
