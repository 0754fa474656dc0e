import t, { type Test } from 'tap'
import type { KubeObject } from '../../../src/api/meta.js'
import { resourceByName } from '../../../src/api/registry.js'
import { parseGetArgs, runGet, type GetFlags } from '../../../src/cli/commands/get.js'
import { memoryIo, writeKubeconfig } from '../../support/cli-io.js'
import { FakeApiServer } from '../../support/fake-apiserver.js'
import { startKplabApiServer } from '../../support/kplab-apiserver.js'
import { runCli } from '../../support/run-cli.js'

const pods = resourceByName('pods')!
const services = resourceByName('svc')!
const pod = (name: string, ns: string, phase: string, node: string): KubeObject => ({ metadata: { name, namespace: ns, labels: { app: name } }, spec: { nodeName: node }, status: { phase } })

async function setup(t: Test): Promise<{ server: FakeApiServer; kubeconfig: string; get: (args: string[], flags?: GetFlags) => Promise<{ out: string; err: string }> }> {
  const server = await FakeApiServer.start()
  t.teardown(() => server.close())
  server.put(pods, pod('web-1', 'default', 'Running', 'node-1'))
  server.put(pods, pod('db', 'default', 'Pending', 'node-2'))
  server.put(pods, pod('dns', 'kube-system', 'Running', 'node-1'))
  const kubeconfig = writeKubeconfig(t.testdir({}), server.url)
  const get = async (args: string[], flags: GetFlags = {}): Promise<{ out: string; err: string }> => {
    const io = memoryIo({ KUBECONFIG: kubeconfig })
    await runGet(args, flags, io)
    return { out: io.stdout(), err: io.stderr() }
  }
  return { server, kubeconfig, get }
}

t.test('argument forms', async (t) => {
  t.same(parseGetArgs(['po']).map((r) => [r.resource.plural, r.names]), [['pods', []]])
  t.same(parseGetArgs(['pod', 'a', 'b']).map((r) => [r.resource.plural, r.names]), [['pods', ['a', 'b']]])
  t.same(parseGetArgs(['po/a', 'svc/b', 'po/c']).map((r) => [r.resource.plural, r.names]), [['pods', ['a', 'c']], ['services', ['b']]])
  t.same(parseGetArgs(['po,svc']).map((r) => r.resource.plural), ['pods', 'services'])
  t.throws(() => parseGetArgs(['foos']), { message: 'the server doesn\'t have a resource type "foos"' })
  t.throws(() => parseGetArgs([]), { message: /specify the type of resource/ })
  t.throws(() => parseGetArgs(['po,svc', 'x']), { message: /single resource type/ })
})

t.test('the server Table printed as kubectl: context namespace, -o wide, -A', async (t) => {
  const { server, get } = await setup(t)
  t.equal((await get(['pods'])).out, 'NAME    STATUS    RESTARTS\nweb-1   Running   0\ndb      Pending   0\n')
  t.match(server.requests.at(-1)!.headers.accept, /as=Table;v=v1;g=meta\.k8s\.io/)
  t.equal(server.requests.at(-1)!.url, '/api/v1/namespaces/default/pods?limit=500')
  t.equal((await get(['pods'], { output: 'wide' })).out, 'NAME    STATUS    RESTARTS   NODE\nweb-1   Running   0          node-1\ndb      Pending   0          node-2\n')
  t.equal(
    (await get(['pods'], { allNamespaces: true })).out,
    'NAMESPACE     NAME    STATUS    RESTARTS\ndefault       web-1   Running   0\ndefault       db      Pending   0\nkube-system   dns     Running   0\n',
  )
  t.equal((await get(['pods'], { namespace: 'kube-system' })).out, 'NAME   STATUS    RESTARTS\ndns    Running   0\n', '-n')
  t.equal((await get(['pods'], { selector: 'app=db' })).out, 'NAME   STATUS    RESTARTS\ndb     Pending   0\n', '-l')
  t.equal((await get(['pod/db'])).out, 'NAME   STATUS    RESTARTS\ndb     Pending   0\n', 'TYPE/NAME')
  t.equal((await get(['pod', 'db', 'web-1'])).out, 'NAME    STATUS    RESTARTS\ndb      Pending   0\nweb-1   Running   0\n', 'several names, one table')
})

t.test('several kinds print kind/name, a table each; nothing found goes to stderr', async (t) => {
  const { server, get } = await setup(t)
  server.put(services, { metadata: { name: 'web', namespace: 'default' }, spec: {} })
  const { out } = await get(['po,svc'])
  t.equal(out, 'NAME        STATUS    RESTARTS\npod/web-1   Running   0\npod/db      Pending   0\n\nNAME          STATUS   RESTARTS\nservice/web   <none>   0\n')
  const empty = await get(['deploy'])
  t.equal(empty.out, '')
  t.equal(empty.err, 'No resources found in default namespace.\n')
  t.equal((await get(['deploy'], { allNamespaces: true })).err, 'No resources found\n')
})

t.test('-o yaml, json, name', async (t) => {
  const { get } = await setup(t)
  const yaml = (await get(['pod', 'db'], { output: 'yaml' })).out
  t.match(yaml, /^apiVersion: v1\nkind: Pod\nmetadata:\n {2}creationTimestamp:/)
  const list = JSON.parse((await get(['pods'], { output: 'json' })).out) as { kind: string; items: KubeObject[] }
  t.equal(list.kind, 'List')
  t.same(list.items.map((i) => [i.kind, i.apiVersion, i.metadata.name]), [['Pod', 'v1', 'web-1'], ['Pod', 'v1', 'db']], 'items get apiVersion/kind')
  t.equal((await get(['pods'], { output: 'name' })).out, 'pod/web-1\npod/db\n')
  await t.rejects(get(['pods'], { output: 'xml' }), { message: /unable to match a printer suitable for the output format "xml"/ })
})

t.test('errors from the server reach the caller as StatusError', async (t) => {
  const { get } = await setup(t)
  await t.rejects(get(['pod', 'nope']), { code: 404, reason: 'NotFound', message: 'pods "nope" not found' })
  await t.rejects(get(['pod', 'nope'], { output: 'yaml' }), { code: 404 })
})

t.test('against the kplab API server: its Table columns, -o wide, -A', async (t) => {
  const { url } = await startKplabApiServer(t)
  const kubeconfig = writeKubeconfig(t.testdir({}), url)
  const run = async (args: string[], flags: GetFlags = {}): Promise<string> => {
    const io = memoryIo({ KUBECONFIG: kubeconfig })
    await runGet(args, flags, io)
    return io.stdout()
  }
  const out = await run(['svc'], { allNamespaces: true })
  const [header, row] = out.split('\n')
  t.match(header, /^NAMESPACE +NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE$/)
  t.match(row, /^default +kubernetes +ClusterIP +10\.96\.0\.1 +<none> +443\/TCP +\S+$/)
  t.match((await run(['svc'], { output: 'wide' })).split('\n')[0], /SELECTOR$/)
})

t.test('the kplab binary: flags through commander; errors are one stderr line with exit 1', async (t) => {
  const { kubeconfig } = await setup(t)
  const env = { KUBECONFIG: kubeconfig }
  const ok = await runCli(['get', 'pods', '-A', '-o', 'wide', '-l', 'app=dns'], env)
  t.equal(ok.code, 0, ok.stderr)
  t.equal(ok.stdout, 'NAMESPACE     NAME   STATUS    RESTARTS   NODE\nkube-system   dns    Running   0          node-1\n')
  const bad = await runCli(['get', 'foos'], env)
  t.equal(bad.code, 1)
  t.equal(bad.stderr, 'error: the server doesn\'t have a resource type "foos"\n')
})
