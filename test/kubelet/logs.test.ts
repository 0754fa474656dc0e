import { once } from 'node:events'
import { appendFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { FakeClock } from '../../src/base/clock.js'
import { containerLogPath, KubeletLogServer, tailLines, withTimestamps } from '../../src/kubelet/logs.js'

t.test('tailLines and withTimestamps', async (t) => {
  t.equal(tailLines('a\nb\nc\n', 2), 'b\nc\n')
  t.equal(tailLines('a\nb\nc', 1), 'c')
  t.equal(tailLines('a\nb\n', 0), '')
  t.equal(tailLines('a\n', undefined), 'a\n')
  t.equal(withTimestamps('a\nb\n', 'T'), 'T a\nT b\n')
  t.equal(containerLogPath('/r', 'u1', 'main'), '/r/pods/u1/logs/main.log')
})

async function serve(t: Test, path: string): Promise<string> {
  const logs = new KubeletLogServer({ lookup: (ns, pod, c) => (ns === 'default' && pod === 'web' && c === 'main' ? { path } : undefined), tokens: ['tok'], clock: new FakeClock() })
  const server = http.createServer(logs.handle)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    logs.closeAll()
    server.closeAllConnections()
    server.close()
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function get(url: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, agent: false }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    }).on('error', reject)
  })
}

t.test('the endpoint: token required, 404 for unknown containers, tail, follow', async (t) => {
  const path = join(t.testdir(), 'main.log')
  writeFileSync(path, 'one\ntwo\nthree\n')
  const base = await serve(t, path)
  t.equal((await get(`${base}/healthz`)).status, 200)
  t.equal((await get(`${base}/containerLogs/default/web/main`)).status, 401)
  t.equal((await get(`${base}/containerLogs/default/web/main`, 'wrong')).status, 401)
  t.equal((await get(`${base}/containerLogs/default/web/other`, 'tok')).status, 404)
  t.same(await get(`${base}/containerLogs/default/web/main`, 'tok'), { status: 200, body: 'one\ntwo\nthree\n' })
  t.same(await get(`${base}/containerLogs/default/web/main?tailLines=1`, 'tok'), { status: 200, body: 'three\n' })
  const previous = await get(`${base}/containerLogs/default/web/main?previous=true`, 'tok')
  t.equal(previous.status, 400)
  t.match(previous.body, 'omit --previous')

  const req = http.get(`${base}/containerLogs/default/web/main?follow=true&tailLines=1`, { headers: { Authorization: 'Bearer tok' }, agent: false })
  const [res] = (await once(req, 'response')) as [http.IncomingMessage]
  res.setEncoding('utf8')
  let seen = ''
  const waitFor = async (s: string) => {
    while (!seen.includes(s)) seen += ((await once(res, 'data')) as [string])[0]
  }
  await waitFor('three\n')
  appendFileSync(path, 'four\n')
  await waitFor('four\n')
  t.equal(seen, 'three\nfour\n', 'follow delivers appended lines (inotify, no polling)')
  req.destroy()
})
