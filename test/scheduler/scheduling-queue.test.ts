import t from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { SchedulingQueue } from '../../src/scheduler/scheduling-queue.js'

t.test('unschedulable pods return after their backoff once the cluster changes', async (t) => {
  const clock = new FakeClock()
  const q = new SchedulingQueue({ clock, initialBackoffMs: 1000, maxBackoffMs: 4000, maxUnschedulableMs: 60_000 })
  q.add('a')
  q.add('a')
  t.equal(q.activeCount, 1, 'deduplicated')
  t.equal(await q.pop(), 'a')
  t.same([q.addUnschedulable('a'), q.addUnschedulable('a'), q.addUnschedulable('a'), q.addUnschedulable('a')], [1000, 2000, 4000, 4000])
  t.equal(q.unschedulableCount, 1)
  q.moveAllToActive()
  t.equal(q.activeCount, 0, 'still backing off')
  clock.advance(4000)
  t.equal(q.activeCount, 1, 'back in the active queue after the backoff')
  t.equal(await q.pop(), 'a')
  q.addUnschedulable('b')
  clock.advance(60_000)
  t.equal(q.activeCount, 1, 'the periodic flush retries without any event')
  q.delete('b')
  t.equal(q.activeCount, 0)
  const waiting = q.pop()
  q.close()
  t.equal(await waiting, undefined)
})
