// pods/{name}/log proxied to the kubelet: the URL built from the Node, the container choice, and
// end to end through the real API server and a real kubelet (loopback mode, no root).
import { once } from 'node:events'
import http from 'node:http'
import t from 'tap'
import { StatusError } from '../../../src/api/errors.js'
import type { Node, Pod } from '../../../src/api/types.js'
import { kubeletLogUrl, logContainer } from '../../../src/apiserver/registry/kubelet-logs.js'
import { boundPod, get, PODS, startControl, startKubelet, until, workerFor } from '../../kubelet/harness.js'

const node = (annotations: Record<string, string> = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1', annotations },
  status: { addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '192.168.56.11' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } },
})
const pod = (containers: string[]): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'prod' }, spec: { nodeName: 'n1', containers: containers.map((name) => ({ name, image: 'kplab/echo' })) } })

t.test('kubeletLogUrl: InternalIP first, the kubelet port, https unless the node says http, query passed on', async (t) => {
  t.equal(kubeletLogUrl(node(), pod(['main']), 'main', {}).href, 'https://192.168.56.11:10250/containerLogs/prod/web/main')
  t.equal(
    kubeletLogUrl(node({ 'kplab.io/kubelet-scheme': 'http' }), pod(['main']), 'main', { follow: true, tailLines: 5, timestamps: true, sinceSeconds: 60 }).href,
    'http://192.168.56.11:10250/containerLogs/prod/web/main?follow=true&tailLines=5&timestamps=true&sinceSeconds=60',
  )
  const bare: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' }, status: {} }
  t.throws(() => kubeletLogUrl(bare, pod(['main']), 'main', {}), /node "n2" reports no address or kubelet port/)
})

t.test('logContainer: the only container by default; several need a name (upstream wording)', async (t) => {
  t.equal(logContainer(pod(['main']), undefined), 'main')
  t.equal(logContainer(pod(['a', 'b']), 'b'), 'b')
  t.throws(() => logContainer(pod(['a', 'b']), undefined), { message: 'a container name must be specified for pod web, choose one of: [a b]' })
  t.throws(() => logContainer(pod(['a']), 'z'), { message: 'container z is not valid for pod web' })
  try {
    logContainer(pod(['a', 'b']), undefined)
  } catch (e) {
    t.equal((e as StatusError).code, 400)
  }
})

t.test('GET pods/{name}/log goes through the kubelet; follow streams a new line', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  // A container that prints a line at start and another on SIGUSR1.
  const script = "console.log('first line'); process.on('SIGUSR1', () => console.log('second line')); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1 << 30)"
  await c.client.create(PODS, boundPod('talker', 'node-a', { image: 'node', command: [process.execPath, '-e', script] }))
  const w = await workerFor(k, 'talker')
  await until(w, (p) => !!p.status?.containerStatuses?.[0]?.state?.running)
  const base = `${c.url}/api/v1/namespaces/default/pods/talker/log`

  // Wait (on the follow stream itself) until the first line is there, then check the plain read.
  const req = http.get(`${base}?follow=true`, { agent: false })
  const [res] = (await once(req, 'response')) as [http.IncomingMessage]
  t.equal(res.statusCode, 200)
  res.setEncoding('utf8')
  let seen = ''
  const waitFor = async (text: string): Promise<void> => {
    while (!seen.includes(text)) {
      const [chunk] = (await once(res, 'data')) as [string]
      seen += chunk
    }
  }
  await waitFor('first line\n')
  const plain = await get(base)
  t.equal(plain.status, 200)
  t.equal(plain.body, 'first line\n')
  const tail = await get(`${base}?tailLines=0`)
  t.equal(tail.body, '')
  const stamped = await get(`${base}?timestamps=true`)
  t.match(stamped.body, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z first line\n$/)

  process.kill(w.pids().main!, 'SIGUSR1')
  await waitFor('second line\n')
  t.equal(seen, 'first line\nsecond line\n', 'the follow stream carried the new line')
  const ended = once(k.logServer, 'followEnd')
  req.destroy()
  await ended
  t.pass('the client going away ends the follow on the kubelet too')

  const missing = await get(`${c.url}/api/v1/namespaces/default/pods/talker/log?container=nope`)
  t.equal(missing.status, 400)
  t.match(JSON.parse(missing.body).message, 'container nope is not valid for pod talker')
})

t.test('the kubelet endpoint refuses requests without the token', async (t) => {
  const c = await startControl(t)
  const k = await startKubelet(t, c, { name: 'node-a', rootDir: t.testdir() })
  const res = await get(`http://127.0.0.1:${k.port}/containerLogs/default/x/main`)
  t.equal(res.status, 401)
  t.match(res.body, 'Authorization: Bearer')
})
