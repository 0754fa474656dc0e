import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { WorkQueue, runWorkers } from '../../src/controllers/work-queue.js'

t.test('deduplicates queued keys and re-queues a key added while processing', async (t) => {
  const q = new WorkQueue({ clock: new FakeClock() })
  q.add('a')
  q.add('b')
  q.add('a')
  t.equal(q.length, 2)
  const k = await q.get()
  t.equal(k, 'a')
  q.add('a') // while processing
  t.equal(q.length, 1, 'not queued twice while processing')
  t.equal(await q.get(), 'b')
  q.done('a')
  t.equal(await q.get(), 'a', 'queued again after done')
})

t.test('get() waits for an add instead of polling; shutDown releases waiters', async (t) => {
  const q = new WorkQueue({ clock: new FakeClock() })
  const pending = q.get()
  q.add('x')
  t.equal(await pending, 'x')
  const waiting = q.get()
  q.shutDown()
  t.equal(await waiting, undefined)
})

t.test('rate-limited retries back off exponentially on the clock, forget resets', async (t) => {
  const clock = new FakeClock()
  const q = new WorkQueue({ clock, baseDelayMs: 10, maxDelayMs: 35 })
  t.same([q.addRateLimited('k'), q.addRateLimited('k'), q.addRateLimited('k'), q.addRateLimited('k')], [10, 20, 35, 35])
  t.equal(q.numRequeues('k'), 4)
  t.equal(q.length, 0)
  clock.advance(9)
  t.equal(q.length, 0, 'not before its delay')
  clock.advance(1)
  t.equal(q.length, 1, 'the earliest pending delay wins')
  q.forget('k')
  t.equal(q.numRequeues('k'), 0)
})

t.test('runWorkers retries a failing key with backoff until it succeeds', async (t) => {
  const clock = new FakeClock()
  const q = new WorkQueue({ clock, baseDelayMs: 100 })
  let calls = 0
  let resolveDone!: () => void
  const done = new Promise<void>((r) => (resolveDone = r))
  const errors: string[] = []
  let failed!: () => void
  let nextFailure = new Promise<void>((r) => (failed = r))
  const running = runWorkers(
    q,
    async () => {
      calls++
      if (calls < 3) throw new Error(`fail ${calls}`)
      resolveDone()
    },
    {
      onError: (_k, e) => {
        errors.push((e as Error).message)
        failed()
      },
    },
  )
  q.add('k')
  for (let i = 0; i < 2; i++) {
    // The retry is scheduled synchronously right after onError: once we resume, advance past it.
    await nextFailure
    nextFailure = new Promise<void>((r) => (failed = r))
    t.equal(q.length, 0, 'not retried before the backoff')
    clock.advance(100 * 2 ** i)
  }
  await done
  t.same(errors, ['fail 1', 'fail 2'])
  q.shutDown()
  await running
  t.equal(q.numRequeues('k'), 0, 'forgotten after success')
})
