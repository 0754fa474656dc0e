import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { FakeClock } from '../../../src/base/clock.js'
import { ContainerProcess, NodeProcessPort, type ExitInfo, type ProcessHandle, type ProcessPort, type SpawnSpec } from '../../../src/kubelet/runtime/process.js'

/** A fake process port: every spawn is a process the test ends with exit(). */
class FakePort implements ProcessPort {
  next = 100
  spawned: SpawnSpec[] = []
  kills: [number, string][] = []
  private enders = new Map<number, (e: ExitInfo) => void>()
  alive = new Set<number>()
  async spawn(spec: SpawnSpec): Promise<ProcessHandle> {
    const pid = this.next++
    this.spawned.push(spec)
    this.alive.add(pid)
    return { pid, exited: new Promise((resolve) => this.enders.set(pid, resolve)) }
  }
  adopt(pid: number): ProcessHandle | undefined {
    if (!this.alive.has(pid)) return undefined
    return { pid, exited: new Promise((resolve) => this.enders.set(pid, resolve)) }
  }
  kill(pid: number, signal: NodeJS.Signals): void {
    this.kills.push([pid, signal])
  }
  exit(pid: number, e: ExitInfo): void {
    this.alive.delete(pid)
    this.enders.get(pid)?.(e)
  }
}

const spec = (): SpawnSpec => ({ cmd: 'x', args: [], env: {}, logPath: '/dev/null' })
const mk = (port: FakePort, clock: FakeClock, restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', adopt?: ConstructorParameters<typeof ContainerProcess>[0]['adopt']) =>
  new ContainerProcess({ name: 'main', podRef: 'web_default(u1)', restartPolicy, clock, port, spec, adopt })

t.test('restart: at once after the first crash, then CrashLoopBackOff 10s, 20s on the clock', async (t) => {
  const port = new FakePort()
  const clock = new FakeClock()
  const p = mk(port, clock)
  await p.start()
  t.equal(p.pid, 100)
  let started = once(p, 'started')
  port.exit(100, { code: 1, signal: null })
  await started
  t.equal(p.restartCount, 1)
  t.equal(p.lastState.terminated?.exitCode, 1)
  port.exit(101, { code: 1, signal: null })
  await once(p, 'exited')
  t.same(p.state.waiting, { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=main pod=web_default(u1)' })
  started = once(p, 'started')
  clock.advance(9_999)
  t.equal(port.spawned.length, 2, 'not before the back-off')
  clock.advance(1)
  await started
  t.equal(p.restartCount, 2)
  port.exit(102, { code: null, signal: 'SIGKILL' })
  await once(p, 'exited')
  t.match(p.state.waiting?.message, 'back-off 20s')
  t.equal(p.lastState.terminated?.exitCode, 137)
  t.equal(p.lastState.terminated?.signal, 9)
})

t.test('Never leaves a finished container terminated; OnFailure restarts only failures', async (t) => {
  const clock = new FakeClock()
  const port = new FakePort()
  const never = mk(port, clock, 'Never')
  await never.start()
  port.exit(never.pid!, { code: 3, signal: null })
  await once(never, 'exited')
  t.equal(never.state.terminated?.exitCode, 3)
  const onFailure = mk(port, clock, 'OnFailure')
  await onFailure.start()
  port.exit(onFailure.pid!, { code: 0, signal: null })
  await once(onFailure, 'exited')
  t.equal(onFailure.state.terminated?.reason, 'Completed')
  t.equal(onFailure.restartCount, 0)
})

t.test('stop: SIGTERM, then SIGKILL once the grace period has passed on the clock', async (t) => {
  const clock = new FakeClock()
  const port = new FakePort()
  const p = mk(port, clock)
  await p.start()
  const stopped = p.stop(30)
  t.same(port.kills, [[100, 'SIGTERM']])
  clock.advance(29_000)
  t.same(port.kills, [[100, 'SIGTERM']], 'no SIGKILL inside the grace period')
  clock.advance(1_000)
  t.same(port.kills, [[100, 'SIGTERM'], [100, 'SIGKILL']])
  port.exit(100, { code: null, signal: 'SIGKILL' })
  await stopped
  t.equal(p.state.terminated?.exitCode, 137)
  t.equal(port.spawned.length, 1, 'a stopped container is not restarted')
})

t.test('adoption: a recorded live process is taken over, a dead one counts as a restart', async (t) => {
  const clock = new FakeClock()
  const port = new FakePort()
  port.alive.add(42)
  const live = mk(port, clock, 'Always', { pid: 42, startedAt: '2026-01-01T00:00:00Z', restartCount: 2 })
  await live.start()
  t.equal(live.pid, 42)
  t.equal(live.restartCount, 2)
  t.equal(port.spawned.length, 0, 'nothing spawned')
  const dead = mk(port, clock, 'Always', { pid: 43, startedAt: '2026-01-01T00:00:00Z', restartCount: 2 })
  await dead.start()
  t.equal(dead.restartCount, 3)
  t.equal(port.spawned.length, 1)
})

t.test('liveness restart kills the process and reports the reason', async (t) => {
  const clock = new FakeClock()
  const port = new FakePort()
  const p = mk(port, clock)
  await p.start()
  const started = once(p, 'started')
  p.restartForLiveness('Container main failed liveness probe, will be restarted')
  t.same(port.kills, [[100, 'SIGKILL']])
  port.exit(100, { code: null, signal: 'SIGKILL' })
  await started
  t.equal(p.lastState.terminated?.message, 'Container main failed liveness probe, will be restarted')
  t.equal(p.restartCount, 1)
})

t.test('NodeProcessPort: a real process with env, its output in the log file, its exit status', async (t) => {
  const clock = new FakeClock()
  // Not unref'd: here nothing else keeps the test's event loop alive while the child runs.
  const port = new NodeProcessPort(clock, 1000, false)
  const logPath = join(t.testdir(), 'c.log')
  const h = await port.spawn({ cmd: '/bin/sh', args: ['-c', 'echo "hello $WHO"; echo oops >&2; exit 3'], env: { WHO: 'kplab', PATH: '/usr/bin:/bin' }, logPath })
  t.ok(h.pid > 0)
  t.same(await h.exited, { code: 3, signal: null })
  t.equal(readFileSync(logPath, 'utf8'), 'hello kplab\noops\n')
  t.equal(port.adopt(h.pid, h.startTicks), undefined, 'a gone process cannot be adopted')
})
