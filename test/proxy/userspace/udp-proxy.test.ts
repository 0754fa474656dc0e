import dgram from 'node:dgram'
import { once } from 'node:events'
import t, { type Test } from 'tap'
import { FakeClock } from '../../../src/base/clock.js'
import { harness, service, slicesFor, udpBackend } from './fixtures.js'
import type { UdpProxy } from '../../../src/proxy/userspace/udp-proxy.js'

async function client(t: Test): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4')
  s.bind(0, '127.0.0.1')
  await once(s, 'listening')
  t.teardown(() => s.close())
  return s
}

async function ask(s: dgram.Socket, port: number, text: string): Promise<string> {
  const reply = once(s, 'message')
  s.send(text, port, '127.0.0.1')
  const [msg] = (await reply) as [Buffer]
  return msg.toString()
}

t.test('UDP echo through the proxy, one endpoint per client flow, flows expire when idle', async (t) => {
  const backends = [await udpBackend(t, 'a'), await udpBackend(t, 'b')]
  const clock = new FakeClock()
  const h = harness(t, 'round-robin', 'udp', clock)
  await h.apply(service({ protocol: 'UDP' }), slicesFor('web', backends, 'UDP'))
  const port = h.port()
  const c1 = await client(t)
  const c2 = await client(t)
  const first = await ask(c1, port, 'x')
  t.match(first, /^[ab]:x$/, 'echo came back through the proxy')
  const owner = first[0]
  t.equal(await ask(c1, port, 'y'), `${owner}:y`, 'the same flow keeps its endpoint')
  const second = await ask(c2, port, 'z')
  t.not(second[0], owner, 'a second client flow is balanced to the other endpoint')
  const st = h.proxier.stats.ports.get('default/web:p')!
  t.equal([...st.endpoints.values()].reduce((a, e) => a + e.connections, 0), 2, 'two flows')
  // Idle past the timeout (1000 ms in the harness): the sweep closes both flows.
  clock.advance(1500)
  const listener = (h.proxier as unknown as { listeners: Map<string, { server: UdpProxy }> }).listeners.get('default/web:p')!.server
  t.equal(listener.flowCount, 0, 'idle flows were closed')
  t.equal([...st.endpoints.values()].reduce((a, e) => a + e.active, 0), 0, 'no flow left active')
  // A new packet from c1 opens a new flow (round-robin moves on).
  t.match(await ask(c1, port, 'again'), /^[ab]:again$/)
})
