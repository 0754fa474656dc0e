import t from 'tap'
import { readFileSync } from 'node:fs'
import { CommandError } from '../../src/base/errors.js'
import { RecordingRunner, SpawnRunner } from '../../src/netns/exec.js'
import { createNamespace, createNamespaceSteps, deleteNamespace, listNamespaces, parseNetnsList } from '../../src/netns/namespace.js'
import { stepLine } from '../../src/netns/step.js'
import { hasCommand, isRoot, requireCapability } from '../support/env.js'

t.test('creating a namespace brings lo up and sets sysctls inside it only', async (t) => {
  t.same(createNamespaceSteps('kplab-a-node', { forwarding: true, routeLocalnet: true }).map(stepLine), [
    'ip netns add kplab-a-node',
    'ip -n kplab-a-node link set lo up',
    'ip netns exec kplab-a-node sysctl -w net.ipv4.ip_forward=1',
    'ip netns exec kplab-a-node sysctl -w net.ipv4.conf.all.route_localnet=1',
  ])
  t.same(createNamespaceSteps('kplab-a-pod').map(stepLine), ['ip netns add kplab-a-pod', 'ip -n kplab-a-pod link set lo up'])
  t.throws(() => createNamespaceSteps('../etc'), /invalid network namespace name/)
})

t.test('ip netns list output is parsed with or without ids and filtered by prefix', async (t) => {
  t.same(parseNetnsList('kplab-a-node (id: 0)\nother\n\nkplab-a-pod1\n'), ['kplab-a-node', 'other', 'kplab-a-pod1'])
  const runner = new RecordingRunner(() => ({ stdout: 'kplab-b-x\nkplab-a-pod1 (id: 1)\nkplab-a-node (id: 0)\n' }))
  t.same(await listNamespaces(runner, 'kplab-a-'), ['kplab-a-node', 'kplab-a-pod1'])
})

t.test('deleting a missing namespace resolves false; other failures reject', async (t) => {
  const missing = new RecordingRunner(() => ({ code: 1, stderr: 'Cannot remove namespace file "/run/netns/x": No such file or directory' }))
  t.equal(await deleteNamespace(missing, 'kplab-a-x'), false)
  const busy = new RecordingRunner(() => ({ code: 1, stderr: 'Cannot remove namespace file: Device or resource busy' }))
  await t.rejects(deleteNamespace(busy, 'kplab-a-x'), CommandError)
  t.equal(await deleteNamespace(new RecordingRunner(), 'kplab-a-x'), true)
})

t.test('kernel: a real namespace gets forwarding inside while the host keeps its own setting', async (t) => {
  if (!requireCapability(t, isRoot() && hasCommand('ip') && hasCommand('sysctl'), 'needs root, ip and sysctl')) return
  const runner = new SpawnRunner()
  const name = `kplab-t${process.pid}-ns-a`
  const hostForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')
  const hostLocalnet = readFileSync('/proc/sys/net/ipv4/conf/all/route_localnet', 'utf8')
  t.teardown(() => deleteNamespace(runner, name).then(() => undefined))
  await createNamespace(runner, name, { forwarding: true, routeLocalnet: true })
  t.same(await listNamespaces(runner, name), [name])
  const inside = await runner.run('cat', ['/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/ipv4/conf/all/route_localnet'], { netns: name })
  t.equal(inside.stdout, '1\n1\n')
  const lo = await runner.run('ip', ['-n', name, '-o', 'link', 'show', 'lo'])
  t.match(lo.stdout, /UP/)
  t.equal(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'), hostForward, 'host ip_forward unchanged')
  t.equal(readFileSync('/proc/sys/net/ipv4/conf/all/route_localnet', 'utf8'), hostLocalnet, 'host route_localnet unchanged')
  t.equal(await deleteNamespace(runner, name), true)
  t.equal(await deleteNamespace(runner, name), false, 'second delete finds nothing')
  t.same(await listNamespaces(runner, name), [])
})
