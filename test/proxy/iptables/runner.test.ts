import { once } from 'node:events'
import t from 'tap'
import { FakeClock } from '../../../src/base/clock.js'
import { BoundedFrequencyRunner } from '../../../src/proxy/iptables/runner.js'

function setup(opts: { min?: number; max?: number; burst?: number; fn?: () => Promise<void> } = {}) {
  const clock = new FakeClock()
  const runs: number[] = []
  const runner = new BoundedFrequencyRunner({
    name: 't',
    clock,
    minIntervalMs: opts.min ?? 1000,
    maxIntervalMs: opts.max ?? 30_000,
    burst: opts.burst ?? 2,
    fn: opts.fn ?? (async () => void runs.push(clock.now())),
  })
  return { clock, runs, runner, t0: clock.now() }
}

t.test('runs at once up to the burst, then waits for minInterval on the clock', async (t) => {
  const { clock, runs, runner, t0 } = setup()
  runner.start()
  t.teardown(() => runner.stop())
  runner.run()
  await once(runner, 'ran')
  runner.run()
  await once(runner, 'ran')
  t.same(runs, [t0, t0], 'two runs back to back (burst 2)')
  runner.run()
  runner.run()
  t.equal(runs.length, 2, 'the third request waits for a token')
  const ran = once(runner, 'ran')
  clock.advance(1000)
  await ran
  t.same(runs, [t0, t0, t0 + 1000], 'one run after minInterval, the two requests folded into it')
})

t.test('runs at least every maxInterval without requests', async (t) => {
  const { clock, runs, runner, t0 } = setup({ max: 30_000 })
  runner.start()
  t.teardown(() => runner.stop())
  clock.advance(29_999)
  t.equal(runs.length, 0)
  const ran = once(runner, 'ran')
  clock.advance(1)
  await ran
  t.same(runs, [t0 + 30_000])
})

t.test('requests during a run fold into one follow-up run; a rejection is reported, not thrown', async (t) => {
  const clock = new FakeClock()
  let release!: () => void
  let calls = 0
  const runner = new BoundedFrequencyRunner({
    name: 't',
    clock,
    minIntervalMs: 0,
    maxIntervalMs: 60_000,
    fn: async () => {
      calls++
      if (calls === 1) await new Promise<void>((r) => (release = r))
      if (calls === 2) throw new Error('boom')
    },
  })
  runner.start()
  t.teardown(() => runner.stop())
  runner.run()
  runner.run()
  runner.run()
  t.equal(calls, 1, 'no concurrent run')
  const failed = once(runner, 'failed')
  release()
  const [err] = (await failed) as [Error]
  t.equal(err.message, 'boom')
  t.equal(calls, 2, 'exactly one follow-up run')
})

t.test('retryAfter schedules a run; stop cancels timers and ignores requests', async (t) => {
  const { clock, runs, runner, t0 } = setup()
  runner.start()
  runner.retryAfter(5000)
  const ran = once(runner, 'ran')
  clock.advance(5000)
  await ran
  t.same(runs, [t0 + 5000])
  runner.stop()
  runner.run()
  clock.advance(120_000)
  t.same(runs, [t0 + 5000], 'nothing after stop')
})
