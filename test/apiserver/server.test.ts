import t, { type Test } from 'tap'
import { Agent, request } from 'node:https'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import type { ChildProcess } from 'node:child_process'
import { parse } from 'yaml'
import { spawnCli, waitForLine } from '../support/run-cli.js'
import { hasCommand, requireCapability } from '../support/env.js'

interface Client {
  url: string
  ca: string
  token: string
  agent: Agent
}

const READY = /^kplab apiserver listening on (https:\/\/127\.0\.0\.1:(\d+)) \(kubeconfig: (.+)\)$/

async function start(t: Test, dir: string): Promise<{ child: ChildProcess; client: Client }> {
  const child = spawnCli(['apiserver', '--data-dir', dir, '--secure-port', '0'], { KPLAB_LOG_LEVEL: 'warn' })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const m = await waitForLine(child, READY)
  const cfg = parse(await readFile(m[3]!, 'utf8'))
  t.equal(cfg.clusters[0].cluster.server, m[1], 'the kubeconfig points at the printed URL')
  const agent = new Agent({ keepAlive: true, maxSockets: 16 })
  t.teardown(() => agent.destroy())
  const client = { url: m[1]!, ca: Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), token: cfg.users[0].user.token, agent }
  return { child, client }
}

async function send(c: Client, method: string, path: string, body?: unknown, token: string | null = c.token): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const req = request(`${c.url}${path}`, { method, headers, ca: c.ca, agent: c.agent })
  req.end(body === undefined ? undefined : JSON.stringify(body))
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
  let text = ''
  res.setEncoding('utf8')
  res.on('data', (d: string) => (text += d))
  await once(res, 'end')
  return { status: res.statusCode!, body: text ? JSON.parse(text) : undefined }
}

t.test('HTTPS with the generated CA and admin token', async (t) => {
  if (!requireCapability(t, hasCommand('openssl'), 'openssl is not installed')) return
  const dir = t.testdir()
  const { child, client } = await start(t, dir)
  t.equal((await send(client, 'GET', '/version', undefined, null)).status, 200, '/version is open')
  t.equal((await send(client, 'GET', '/api/v1/namespaces', undefined, null)).status, 401)
  t.equal((await send(client, 'GET', '/api/v1/namespaces', undefined, 'wrong')).status, 401)
  const ns = await send(client, 'GET', '/api/v1/namespaces')
  t.equal(ns.status, 200)
  t.ok(ns.body.items.some((n: { metadata: { name: string } }) => n.metadata.name === 'kube-system'))
  const svc = await send(client, 'GET', '/api/v1/namespaces/default/services/kubernetes')
  t.equal(svc.body.spec.ports[0].targetPort, Number(new URL(client.url).port), 'the kubernetes Service targets the chosen port')
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  t.equal(code, 0, 'SIGTERM stops it cleanly')
})

t.test('every acknowledged create survives SIGKILL', async (t) => {
  if (!requireCapability(t, hasCommand('openssl'), 'openssl is not installed')) return
  const dir = t.testdir()
  const first = await start(t, dir)
  const acked: string[] = []
  let stop = false
  let n = 0
  const worker = async (): Promise<void> => {
    while (!stop) {
      const name = `lease-${n++}`
      try {
        const res = await send(first.client, 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name } })
        if (res.status === 201) acked.push(name)
      } catch {
        return // the server died mid-request: not acknowledged
      }
      if (acked.length >= 150 && !stop) {
        stop = true
        first.child.kill('SIGKILL')
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  if (first.child.exitCode === null && first.child.signalCode === null) await once(first.child, 'exit')
  t.ok(acked.length >= 150)
  const second = await start(t, dir)
  const list = await send(second.client, 'GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases')
  const have = new Set(list.body.items.map((l: { metadata: { name: string } }) => l.metadata.name))
  const lost = acked.filter((name) => !have.has(name))
  t.same(lost, [], `all ${acked.length} acknowledged creates are there after the restart`)
  second.child.kill('SIGTERM')
  await once(second.child, 'exit')
})
