import t, { type Test } from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { resourceByName } from '../../../src/api/registry.js'
import { runDelete, type DeleteFlags } from '../../../src/cli/commands/delete.js'
import { formatCliError } from '../../../src/cli/errors.js'
import { memoryIo, writeKubeconfig } from '../../support/cli-io.js'
import { FakeApiServer } from '../../support/fake-apiserver.js'

const pods = resourceByName('pods')!
const deployments = resourceByName('deploy')!

async function setup(t: Test): Promise<{ server: FakeApiServer; dir: string; del: (args: string[], flags?: DeleteFlags) => Promise<{ out: string; err: string; error?: unknown }> }> {
  const server = await FakeApiServer.start()
  t.teardown(() => server.close())
  const dir = t.testdir({})
  const kubeconfig = writeKubeconfig(dir, server.url)
  server.put(pods, { metadata: { name: 'a', namespace: 'default' } })
  server.put(pods, { metadata: { name: 'b', namespace: 'default' } })
  server.put(deployments, { metadata: { name: 'web', namespace: 'team' } })
  const del = async (args: string[], flags: DeleteFlags = {}): Promise<{ out: string; err: string; error?: unknown }> => {
    const io = memoryIo({ KUBECONFIG: kubeconfig })
    const error = await runDelete(args, flags, io).catch((e: unknown) => e)
    return { out: io.stdout(), err: io.stderr(), error }
  }
  return { server, dir, del }
}

t.test('by type and names, with Background propagation', async (t) => {
  const { server, del } = await setup(t)
  const r = await del(['pod', 'a', 'b'])
  t.equal(r.out, 'pod "a" deleted\npod "b" deleted\n')
  t.equal(r.error, undefined)
  t.same(JSON.parse(server.requests.at(-1)!.body), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' })
  t.equal((await del(['deploy/web'], { namespace: 'team' })).out, 'deployment.apps "web" deleted\n')
})

t.test('not found: reported, the others still deleted; --ignore-not-found silences it', async (t) => {
  const { del } = await setup(t)
  const r = await del(['pod', 'nope', 'a'])
  t.equal(r.out, 'pod "a" deleted\n')
  t.equal(formatCliError(r.error), 'Error from server (NotFound): pods "nope" not found')
  const quiet = await del(['pod', 'nope'], { ignoreNotFound: true })
  t.equal(quiet.error, undefined)
  t.equal(quiet.out, '')
})

t.test('by manifest file, in the manifest namespace', async (t) => {
  const { dir, del } = await setup(t)
  const f = join(dir, 'm.yaml')
  writeFileSync(f, [stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team' } }), stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } })].join('---\n'))
  const r = await del([], { filename: [f] })
  t.equal(r.out, 'deployment.apps "web" deleted\npod "a" deleted\n')
})

t.test('usage errors', async (t) => {
  const { del } = await setup(t)
  t.match((await del(['pod'])).error, { message: /no name was specified: e\.g\. kplab delete pod NAME/ })
  t.match((await del(['pod', 'a'], { filename: ['x.yaml'] })).error, { message: /either -f FILE or TYPE NAME/ })
})
