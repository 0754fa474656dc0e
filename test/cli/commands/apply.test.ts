import t, { type Test } from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { stringify } from 'yaml'
import { field, invalid } from '../../../src/api/errors.js'
import type { KubeObject } from '../../../src/api/meta.js'
import { resourceByName } from '../../../src/api/registry.js'
import { LAST_APPLIED } from '../../../src/cli/apply-merge.js'
import { namespaceFor, runApply } from '../../../src/cli/commands/apply.js'
import { formatCliError } from '../../../src/cli/errors.js'
import { memoryIo, writeKubeconfig } from '../../support/cli-io.js'
import { FakeApiServer } from '../../support/fake-apiserver.js'
import { startKplabApiServer } from '../../support/kplab-apiserver.js'
import { runCli } from '../../support/run-cli.js'

const deployments = resourceByName('deploy')!
const services = resourceByName('svc')!

const deployment = (replicas: number, image = 'nginx:1.27'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } } },
})
const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }

async function setup(t: Test): Promise<{ server: FakeApiServer; kubeconfig: string; dir: string; apply: (file: string, ns?: string) => Promise<{ out: string; err: string }> }> {
  const server = await FakeApiServer.start()
  t.teardown(() => server.close())
  const dir = t.testdir({})
  const kubeconfig = writeKubeconfig(dir, server.url)
  const apply = async (file: string, namespace?: string): Promise<{ out: string; err: string }> => {
    const io = memoryIo({ KUBECONFIG: kubeconfig })
    await runApply({ filename: [file], namespace }, io)
    return { out: io.stdout(), err: io.stderr() }
  }
  return { server, kubeconfig, dir, apply }
}

const write = (dir: string, name: string, objs: KubeObject[]): string => {
  const p = join(dir, name)
  writeFileSync(p, objs.map((o) => stringify(o)).join('---\n'))
  return p
}

t.test('created, then unchanged, then configured; status and server fields survive', async (t) => {
  const { server, dir, apply } = await setup(t)
  const f = write(dir, 'm.yaml', [deployment(2), service])
  t.equal((await apply(f)).out, 'deployment.apps/web created\nservice/web created\n')
  const created = server.requests.find((r) => r.method === 'POST')!
  t.equal(created.url, '/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-client-side-apply')
  const stored = JSON.parse(created.body) as KubeObject
  t.same(JSON.parse(stored.metadata.annotations![LAST_APPLIED]!), { ...deployment(2), metadata: { ...deployment(2).metadata, namespace: 'default', annotations: {} } })

  // Server-side changes the manifest does not mention: status, a defaulted field.
  server.put(deployments, { ...(JSON.parse(JSON.stringify(stored)) as KubeObject), spec: { ...(stored.spec as object), revisionHistoryLimit: 10 }, status: { replicas: 2 } })
  const before = server.requests.length
  t.equal((await apply(f)).out, 'deployment.apps/web unchanged\nservice/web unchanged\n')
  t.same(server.requests.slice(before).map((r) => r.method), ['GET', 'GET'], 'unchanged: no write')

  const f2 = write(dir, 'm2.yaml', [deployment(3, 'nginx:1.28')])
  t.equal((await apply(f2)).out, 'deployment.apps/web configured\n')
  const put = server.requests.at(-1)!
  t.equal(put.method, 'PUT')
  const sent = JSON.parse(put.body) as KubeObject & { spec: { replicas: number; revisionHistoryLimit: number; template: { spec: { containers: { image: string }[] } } }; status: unknown }
  t.equal(sent.spec.replicas, 3)
  t.equal(sent.spec.template.spec.containers[0]!.image, 'nginx:1.28')
  t.equal(sent.spec.revisionHistoryLimit, 10, 'a field set by the server stays')
  t.same(sent.status, { replicas: 2 }, 'status kept')
  t.ok(sent.metadata.resourceVersion, 'PUT carries the live resourceVersion')
})

t.test('a conflict is retried with a fresh GET', async (t) => {
  const { server, dir, apply } = await setup(t)
  const f = write(dir, 'm.yaml', [deployment(1)])
  await apply(f)
  let raced = false
  server.on('request', (r: { method: string }) => {
    // Another writer changes the object just before our first PUT is handled: that PUT gets a 409.
    if (r.method === 'PUT' && !raced) {
      raced = true
      const cur = server.requests.filter((x) => x.method === 'POST')[0]!
      server.put(deployments, { ...(JSON.parse(cur.body) as KubeObject), status: { replicas: 1 } })
    }
  })
  const f2 = write(dir, 'm2.yaml', [deployment(4)])
  t.equal((await apply(f2)).out, 'deployment.apps/web configured\n')
  t.same(
    server.requests.slice(-4).map((r) => r.method),
    ['GET', 'PUT', 'GET', 'PUT'],
  )
})

t.test('an object made without apply gets a warning and its annotation', async (t) => {
  const { server, dir, kubeconfig } = await setup(t)
  server.put(services, { ...service, metadata: { name: 'web', namespace: 'default' } })
  const io = memoryIo({ KUBECONFIG: kubeconfig })
  await runApply({ filename: [write(dir, 's.yaml', [service])] }, io)
  t.equal(io.stdout(), 'service/web configured\n')
  t.match(io.stderr(), /^Warning: resource services\/web is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation/)
  const sent = JSON.parse(server.requests.at(-1)!.body) as KubeObject
  t.ok(sent.metadata.annotations?.[LAST_APPLIED])
})

t.test('namespaces: manifest, -n, context; a contradiction is refused', async (t) => {
  t.equal(namespaceFor(services, service, undefined, 'default'), 'default')
  t.equal(namespaceFor(services, service, 'team', 'default'), 'team')
  t.equal(namespaceFor(services, { ...service, metadata: { name: 'web', namespace: 'a' } }, undefined, 'default'), 'a')
  t.equal(namespaceFor(resourceByName('nodes')!, { metadata: { name: 'n', namespace: 'x' } }, 'team', 'default'), undefined)
  t.throws(() => namespaceFor(services, { ...service, metadata: { name: 'web', namespace: 'a' } }, 'b', 'default'), {
    message: `the namespace from the provided object "a" does not match the namespace "b". You must pass '--namespace=a' to perform this operation.`,
  })
})

t.test('unknown kinds and failures: the rest still applies, the failure is thrown', async (t) => {
  const { server, dir, kubeconfig } = await setup(t)
  server.validate = (r, obj) => (r === services ? invalid(r, obj.metadata.name!, [field.invalid('spec.ports[0].port', 0, 'must be between 1 and 65535, inclusive')]) : undefined)
  const f = write(dir, 'm.yaml', [{ apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: 'x' } }, service, deployment(1)])
  const io = memoryIo({ KUBECONFIG: kubeconfig })
  const err = await runApply({ filename: [f] }, io).catch((e: unknown) => e)
  t.equal(io.stdout(), 'deployment.apps/web created\n')
  t.equal(io.stderr(), `error: resource mapping not found for name: "x" namespace: "" from "${f}": no matches for kind "Foo" in version "example.com/v1"\n`)
  t.equal(formatCliError(err), 'The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive')
})

t.test('stdin with -f -', async (t) => {
  const { kubeconfig } = await setup(t)
  const io = memoryIo({ KUBECONFIG: kubeconfig })
  io.stdin = Readable.from([Buffer.from(stringify(service))])
  await runApply({ filename: ['-'] }, io)
  t.equal(io.stdout(), 'service/web created\n')
})

t.test('the kplab binary: one stderr line and a non-zero exit on a 422', async (t) => {
  const { server, kubeconfig, dir } = await setup(t)
  server.validate = (r, obj) => invalid(r, obj.metadata.name!, [field.invalid('spec.ports[0].port', 0, 'must be between 1 and 65535, inclusive')])
  const f = write(dir, 'svc.yaml', [service])
  const res = await runCli(['apply', '-f', f], { KUBECONFIG: kubeconfig })
  t.equal(res.code, 1)
  t.equal(res.stdout, '')
  t.equal(res.stderr, 'The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n')
})

t.test('against the kplab API server: defaulted fields do not make a re-apply "configured"', async (t) => {
  const { url } = await startKplabApiServer(t)
  const dir = t.testdir({})
  const kubeconfig = writeKubeconfig(dir, url)
  const run = async (file: string): Promise<string> => {
    const io = memoryIo({ KUBECONFIG: kubeconfig })
    await runApply({ filename: [file] }, io)
    return io.stdout()
  }
  const withPorts = (d: KubeObject): KubeObject => {
    const c = structuredClone(d) as KubeObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }
    c.spec.template.spec.containers[0]!.ports = [{ containerPort: 80 }]
    return c
  }
  const f = write(dir, 'm.yaml', [withPorts(deployment(2)), service])
  t.equal(await run(f), 'deployment.apps/web created\nservice/web created\n')
  t.equal(await run(f), 'deployment.apps/web unchanged\nservice/web unchanged\n')
  const f2 = write(dir, 'm2.yaml', [withPorts(deployment(3)), { ...service, spec: { selector: { app: 'web' }, ports: [{ port: 80, name: 'http' }] } }])
  t.equal(await run(f2), 'deployment.apps/web configured\nservice/web configured\n')
  t.equal(await run(f2), 'deployment.apps/web unchanged\nservice/web unchanged\n')
})
