import net from 'node:net'
import { once } from 'node:events'
import t from 'tap'
import { LoopbackNetwork, loopbackCidr } from '../../../src/kubelet/network/loopback.js'

t.test('the pod CIDR maps into 127/8', async (t) => {
  t.equal(loopbackCidr('10.244.1.0/24'), '127.244.1.0/24')
  t.equal(loopbackCidr('10.244.0.0/16'), '127.244.0.0/16')
})

t.test('each pod gets its own loopback address that a process can bind without setup', async (t) => {
  const dir = t.testdir()
  const n = new LoopbackNetwork({ podCidr: '10.244.3.0/24', stateDir: dir })
  const a = await n.setup({ uid: 'a' })
  const b = await n.setup({ uid: 'b' })
  t.same(a, { podIP: '127.244.3.2', bindAddress: '127.244.3.2' })
  t.equal(b.podIP, '127.244.3.3')
  const server = net.createServer((s) => s.end('hi'))
  server.listen(0, a.podIP)
  await once(server, 'listening')
  t.teardown(() => server.close())
  t.equal((server.address() as net.AddressInfo).address, a.podIP, 'bound on Linux without root')
  t.equal(new LoopbackNetwork({ podCidr: '10.244.3.0/24', stateDir: dir }).addressOf('b'), '127.244.3.3', 'kept across restarts')
  await n.teardown('a')
  t.equal(n.addressOf('a'), undefined)
})
