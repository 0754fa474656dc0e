import t from 'tap'
import type { Outcome, PickContext } from '../../src/lb/balancer.js'
import { BaseBalancer } from '../../src/lb/base-balancer.js'
import { EndpointIds } from '../../src/lb/endpoint-set.js'

/** The smallest algorithm: always the first pickable; records the hooks it sees. */
class First extends BaseBalancer {
  readonly algorithm = 'first'
  rebuilds = 0
  seen: string[] = []
  pickIndex(_ctx?: PickContext): number {
    return this.endpoints.pickable.length > 0 ? this.endpoints.pickable[0]! : -1
  }
  protected override rebuild(): void {
    this.rebuilds++
  }
  protected override activeChanged(i: number): void {
    this.seen.push(`${this.endpoints.ids.list[i]}:${this.endpoints.active[i]}`)
  }
  protected override finished(i: number, o: Outcome): void {
    this.seen.push(`finish ${this.endpoints.ids.list[i]} ${o.ok}`)
  }
}

t.test('onStart/onFinish count active per endpoint and call the hooks', async (t) => {
  const b = new First()
  b.update([{ id: 'a' }, { id: 'b', ready: false }])
  b.onStart('a')
  b.onStart('a')
  b.onStart('b')
  b.onFinish('a', { ok: false, durationMs: 3 })
  t.same(b.seen, ['a:1', 'a:2', 'b:1', 'finish a false', 'a:1'])
  t.same(b.snapshot(), [
    { id: 'a', weight: 1, ready: true, available: true, active: 1 },
    { id: 'b', weight: 1, ready: false, available: false, active: 1 },
  ])
})

t.test('the index methods are the same operations by position', async (t) => {
  const b = new First()
  b.update({ ids: new EndpointIds(['a', 'b', 'c']), ready: [0, 1, 1] })
  t.equal(b.pickIndex(), 1)
  t.equal(b.pick(), 'b')
  b.onStartIndex(2)
  b.onStartIndex(2)
  b.onFinishIndex(2, { ok: true, durationMs: 1 })
  t.same(b.seen, ['c:1', 'c:2', 'finish c true', 'c:1'])
  b.onStartIndex(7)
  b.onStartIndex(-1)
  b.onFinishIndex(3, { ok: true, durationMs: 1 })
  t.same(b.snapshot().map((s) => s.active), [0, 0, 1], 'positions outside the list are ignored')
  const none = new First()
  none.update([])
  t.equal(none.pickIndex(), -1)
  t.equal(none.pick(), undefined)
})

t.test('unknown ids are ignored and counts never go negative', async (t) => {
  const b = new First()
  b.update([{ id: 'a' }])
  b.onStart('ghost')
  b.onFinish('ghost', { ok: true, durationMs: 1 })
  b.onFinish('a', { ok: true, durationMs: 1 })
  t.equal(b.snapshot()[0]!.active, 0)
  t.equal(b.available('ghost'), false)
})

t.test('rebuild runs only when the pickable set or a weight changed', async (t) => {
  const b = new First()
  b.update([{ id: 'a' }])
  b.update([{ id: 'a' }])
  t.equal(b.rebuilds, 1)
  b.update([{ id: 'a', weight: 2 }])
  t.equal(b.rebuilds, 2)
  t.equal(b.pick(), 'a')
})
