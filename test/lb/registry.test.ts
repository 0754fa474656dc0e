import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { BalancerConfigError } from '../../src/lb/errors.js'
import { OutlierDetectionBalancer } from '../../src/lb/outlier-detection.js'
import { ALGORITHMS, DEFAULT_ALGORITHM, createBalancer, findAlgorithm } from '../../src/lb/registry.js'
import { SessionAffinityBalancer } from '../../src/lb/session-affinity.js'
import { SlowStartBalancer } from '../../src/lb/slow-start.js'

const deps = () => ({ rng: seededRng('registry'), clock: new FakeClock() })

t.test('every algorithm builds by name and alias, and picks from a small set', async (t) => {
  t.same(
    ALGORITHMS.map((a) => a.name),
    ['round-robin', 'least-connection', 'power-of-two-choices', 'random', 'least-time', 'ip-hash', 'ring-hash', 'maglev'],
  )
  for (const a of ALGORITHMS) {
    const b = createBalancer(a.name, {}, deps())
    t.equal(b.algorithm, a.name)
    b.update([{ id: 'x' }, { id: 'y' }])
    const id = b.pick({ clientIP: '10.0.0.1' })
    t.ok(id === 'x' || id === 'y', `${a.name} picked ${id}`)
    for (const alias of a.aliases) t.equal(findAlgorithm(alias), a, `${alias} → ${a.name}`)
  }
  t.equal(findAlgorithm(' P2C ')?.name, 'power-of-two-choices', 'trimmed, any case')
  t.equal(findAlgorithm(DEFAULT_ALGORITHM)?.name, 'round-robin')
  const names = ALGORITHMS.flatMap((a) => [a.name, ...a.aliases])
  t.equal(new Set(names).size, names.length, 'no alias is claimed twice')
})

t.test('an unknown name lists the known ones', async (t) => {
  t.throws(() => createBalancer('fastest', {}, deps()), {
    name: 'BalancerConfigError',
    field: 'algorithm',
    message: /unknown load-balancing algorithm "fastest" \(known: round-robin, least-connection, .*maglev\)/,
  })
})

t.test('bad parameters are named with what would be accepted', async (t) => {
  t.throws(() => createBalancer('p2c', { choice: 3 }, deps()), { field: 'params.choice', message: /unknown parameter for power-of-two-choices \(known: choices\)/ })
  t.throws(() => createBalancer('p2c', { choices: 1 }, deps()), { field: 'params.choices', message: /must be an integer from 2 to 64 \(got 1\)/ })
  t.throws(() => createBalancer('round-robin', { x: 1 }, deps()), { message: /round-robin takes no parameters/ })
  t.throws(() => createBalancer('maglev', { tableSize: 65536 }, deps()), { field: 'params.tableSize', message: /must be a prime/ })
  t.throws(() => createBalancer('ip-hash', { ipv4PrefixLength: 20 }, deps()), { message: /one of 8, 16, 24, 32/ })
  t.throws(() => createBalancer('random', [] as never, deps()), BalancerConfigError)
  t.throws(() => createBalancer('random', { sessionAffinity: { timeoutSeconds: 0 } }, deps()), {
    field: 'params.sessionAffinity.timeoutSeconds',
    message: /from 1 to 86400/,
  })
  t.throws(() => createBalancer('random', { outlierDetection: { consecutive: 5 } }, deps()), { name: 'BalancerConfigError', field: 'params.outlierDetection.consecutive' })
  t.throws(() => createBalancer('maglev', { slowStart: {} }, deps()), { field: 'params.slowStart', message: /not supported with maglev/ })
  t.throws(() => createBalancer('random', { slowStart: 'yes' }, deps()), { name: 'BalancerConfigError', field: 'params.slowStart' })
})

t.test('parameters reach the algorithm', async (t) => {
  const b = createBalancer('least-time', { choices: 1000, defaultRttMs: 5 }, deps())
  b.update([{ id: 'a' }])
  b.onStart('a')
  b.onFinish('a', { ok: true, durationMs: 8 })
  b.update([{ id: 'a' }, { id: 'b' }])
  t.equal(b.pick(), 'b', 'the unmeasured endpoint costs defaultRttMs = 5 < 8')
})

t.test('layers stack: slow start inside outlier detection inside ClientIP affinity', async (t) => {
  const b = createBalancer(
    'least-connection',
    { sessionAffinity: { timeoutSeconds: 60 }, outlierDetection: { consecutiveFailures: 2 }, slowStart: { windowSeconds: 10 } },
    deps(),
  )
  t.type(b, SessionAffinityBalancer)
  const outlier = (b as unknown as { inner: unknown }).inner
  t.type(outlier, OutlierDetectionBalancer)
  t.type((outlier as { inner: unknown }).inner, SlowStartBalancer)
  t.equal(b.algorithm, 'least-connection')
  b.update([{ id: 'a' }, { id: 'b' }])
  t.equal(b.pick({ clientIP: '10.0.0.1' }), 'a')
  t.equal(b.pick({ clientIP: '10.0.0.1' }), 'a', 'sticky')
  t.equal(b.pick({ clientIP: '10.0.0.2' }), 'b')
})
