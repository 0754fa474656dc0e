import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { LeastConnectionBalancer } from '../../src/lb/least-connection.js'
import { RoundRobinBalancer } from '../../src/lb/round-robin.js'
import { runLoad } from './synthetic-load.js'

function pickStart(b: LeastConnectionBalancer, n: number): string {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const id = b.pick()!
    b.onStart(id)
    out.push(id)
  }
  return out.join(' ')
}

t.test('ties rotate instead of always taking the first', async (t) => {
  const b = new LeastConnectionBalancer()
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  t.equal(pickStart(b, 6), 'a b c a b c')
  // Without onStart every pick is a tie, and the tie still rotates.
  const idle = new LeastConnectionBalancer()
  idle.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  t.equal([idle.pick(), idle.pick(), idle.pick(), idle.pick()].join(' '), 'a b c a')
})

t.test('a finished connection makes its endpoint the least loaded', async (t) => {
  const b = new LeastConnectionBalancer()
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  t.equal(pickStart(b, 3), 'a b c')
  b.onFinish('b', { ok: true, durationMs: 5 })
  // b has 0, then all have 1 and the least recently picked (a, then c) go first.
  t.equal(pickStart(b, 3), 'b a c')
})

t.test('weights: fewest active per weight, ties by weighted round-robin (as nginx least_conn)', async (t) => {
  const b = new LeastConnectionBalancer()
  b.update([{ id: 'a', weight: 3 }, { id: 'b' }])
  // Loads a/3 vs b/1; passes advance by 1/3 and 1. 1: tie 0-0, passes 0-0 → a (list order);
  // 2: 1/3 vs 0 → b; 3: 1/3 vs 1 → a; 4: 2/3 vs 1 → a; 5: 1 vs 1, passes 1-1 → a; 6: 4/3 vs 1 → b; 7: 4/3 vs 2 → a.
  t.equal(pickStart(b, 7), 'a b a a a b a')
})

t.test('idle endpoints share picks by weight instead of all going to one', async (t) => {
  const b = new LeastConnectionBalancer()
  b.update([{ id: 'a' }, { id: 'b', weight: 2 }])
  const seq: string[] = []
  for (let i = 0; i < 6; i++) {
    const id = b.pick()!
    b.onStart(id)
    b.onFinish(id, { ok: true, durationMs: 1 })
    seq.push(id)
  }
  // Every pick is a load tie at 0; passes: a +1, b +1/2 → a b b a b b.
  t.equal(seq.join(' '), 'a b b a b b')
})

t.test('an endpoint joining the rotation starts at the current pass, with no burst', async (t) => {
  const b = new LeastConnectionBalancer()
  b.update([{ id: 'a' }, { id: 'b' }])
  for (let i = 0; i < 10; i++) b.pick() // passes reach 5 and 5
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  // c starts at the last pick's pass (4), so it goes first once, then all rotate.
  t.equal([b.pick(), b.pick(), b.pick(), b.pick(), b.pick(), b.pick()].join(' '), 'c a b c a b')
})

t.test('active counts survive an update; a new endpoint takes the next picks', async (t) => {
  const b = new LeastConnectionBalancer()
  b.update([{ id: 'a' }, { id: 'b' }])
  t.equal(pickStart(b, 4), 'a b a b')
  b.update([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  t.equal(pickStart(b, 3), 'c c a')
  t.same(
    b.snapshot().map((s) => [s.id, s.active]),
    [
      ['a', 3],
      ['b', 2],
      ['c', 2],
    ],
  )
  // A connection to an endpoint that has since left finishes quietly.
  b.update([{ id: 'a' }])
  b.onFinish('b', { ok: true, durationMs: 1 })
  b.onFinish('zzz', { ok: true, durationMs: 1 })
  t.equal(b.pick(), 'a')
})

t.test('under seeded load it sends a slow endpoint far less than round-robin', async (t) => {
  const means = { fast1: 10, fast2: 10, slow: 100 }
  const eps = [{ id: 'fast1' }, { id: 'fast2' }, { id: 'slow' }]
  const opts = { requests: 20000, intervalMs: 5, seed: 'lc-load' }
  const lc = new LeastConnectionBalancer()
  lc.update(eps)
  const rr = new RoundRobinBalancer()
  rr.update(eps)
  const withLc = runLoad(lc, new FakeClock(), means, opts)
  const withRr = runLoad(rr, new FakeClock(), means, opts)
  const lcSlow = withLc.counts.get('slow')! / opts.requests
  const rrSlow = withRr.counts.get('slow')! / opts.requests
  t.ok(Math.abs(rrSlow - 1 / 3) < 0.001, `round-robin gives the slow endpoint a third (${rrSlow})`)
  t.ok(lcSlow < rrSlow / 2, `least-connection gives it ${lcSlow.toFixed(3)}, less than half of ${rrSlow.toFixed(3)}`)
  t.ok(withLc.meanMs < withRr.meanMs * 0.7, `mean response ${withLc.meanMs.toFixed(1)} ms vs ${withRr.meanMs.toFixed(1)} ms`)
  t.ok(withLc.maxActive.get('slow')! < withRr.maxActive.get('slow')!, 'the slow endpoint queues less')
})
