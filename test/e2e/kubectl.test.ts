// The real kubectl against `kplab apiserver` over HTTPS with the generated admin kubeconfig:
// apply, get (table, -o wide, -o yaml, -w), describe, scale, label, delete, and an invalid manifest.
import t from 'tap'
import { execFile, spawn } from 'node:child_process'
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import { hasCommand, requireCapability } from '../support/env.js'
import { spawnCli, waitForLine } from '../support/run-cli.js'

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: echo
        image: kplab/echo:1
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: 8080
`

const badService = `apiVersion: v1
kind: Service
metadata:
  name: broken
spec:
  selector: {app: web}
  ports:
  - port: 0
`

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: client
  labels: {app: client}
spec:
  containers:
  - name: main
    image: kplab/client:1
`

t.test('kubectl works against kplab apiserver', async (t) => {
  if (!requireCapability(t, hasCommand('kubectl'), 'kubectl not on PATH')) return
  if (!requireCapability(t, hasCommand('openssl'), 'openssl not on PATH (needed for the serving certificate)')) return
  const dir = t.testdir({})
  const home = join(dir, 'home')
  mkdirSync(home)
  const data = join(dir, 'data')
  const server = spawnCli(['apiserver', '--data-dir', data, '--bind-address', '127.0.0.1', '--secure-port', '0'])
  t.teardown(() => {
    server.kill('SIGKILL')
  })
  const m = await waitForLine(server, /listening on https:\/\/127\.0\.0\.1:(\d+)/)
  t.ok(Number(m[1]) > 0, 'server listening')
  const env = { ...process.env, HOME: home, KUBECONFIG: join(data, 'admin.kubeconfig') }
  writeFileSync(join(dir, 'app.yaml'), manifest)
  writeFileSync(join(dir, 'bad.yaml'), badService)
  writeFileSync(join(dir, 'pod.yaml'), pod)

  const kubectl = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile('kubectl', args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0
        resolve({ code, stdout, stderr })
      })
    })

  const applied = await kubectl('apply', '-f', join(dir, 'app.yaml'))
  t.equal(applied.code, 0, applied.stderr)
  t.match(applied.stdout, /deployment\.apps\/web created/)
  t.match(applied.stdout, /service\/web created/)

  const again = await kubectl('apply', '-f', join(dir, 'app.yaml'))
  t.equal(again.code, 0, again.stderr)
  t.match(again.stdout, /deployment\.apps\/web unchanged/)
  t.match(again.stdout, /service\/web unchanged/)

  const createdPod = await kubectl('create', '-f', join(dir, 'pod.yaml'))
  t.equal(createdPod.code, 0, createdPod.stderr)

  const svc = await kubectl('get', 'svc', 'web')
  t.equal(svc.code, 0, svc.stderr)
  t.match(svc.stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE/)
  t.match(svc.stdout, /web\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP/)

  const pods = await kubectl('get', 'pods', '-o', 'wide')
  t.equal(pods.code, 0, pods.stderr)
  t.match(pods.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/)
  t.match(pods.stdout, /client\s+0\/1\s+Pending\s+0/)

  const yaml = await kubectl('get', 'deploy', 'web', '-o', 'yaml')
  t.equal(yaml.code, 0, yaml.stderr)
  t.match(yaml.stdout, /kind: Deployment/)
  t.match(yaml.stdout, /type: RollingUpdate/, 'defaults applied')
  t.match(yaml.stdout, /resourceVersion: "\d+"/)

  // -w prints the current row, then a row for the update.
  const watch = spawn('kubectl', ['get', 'deploy', 'web', '-w', '--output-watch-events'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => {
    watch.kill('SIGKILL')
  })
  // One permanent listener collects everything; waiters re-check on every chunk.
  let seen = ''
  const waiters: (() => void)[] = []
  watch.stdout.on('data', (d: Buffer) => {
    seen += d.toString()
    for (const w of [...waiters]) w()
  })
  const sawLines = (n: number): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (seen.split('\n').filter((l) => l.includes('web')).length >= n) {
          waiters.splice(waiters.indexOf(check), 1)
          resolve()
        }
      }
      waiters.push(check)
      check()
    })
  await sawLines(1)
  const labelled = await kubectl('label', 'deploy', 'web', 'tier=frontend')
  t.equal(labelled.code, 0, labelled.stderr)
  t.match(labelled.stdout, /deployment\.apps\/web labeled/)
  await sawLines(2)
  t.match(seen, /MODIFIED\s+web/, 'watch saw the update')
  watch.kill('SIGTERM')
  await once(watch, 'exit')

  const scaled = await kubectl('scale', 'deploy', 'web', '--replicas=5')
  t.equal(scaled.code, 0, scaled.stderr)
  t.match(scaled.stdout, /deployment\.apps\/web scaled/)
  const replicas = await kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')
  t.equal(replicas.stdout.trim(), '5')

  const described = await kubectl('describe', 'svc', 'web')
  t.equal(described.code, 0, described.stderr)
  t.match(described.stdout, /Name:\s+web/)
  t.match(described.stdout, /Type:\s+NodePort/)
  t.match(described.stdout, /Port:\s+http\s+80\/TCP/)
  t.match(described.stdout, /TargetPort:\s+8080\/TCP/)

  const bad = await kubectl('apply', '-f', join(dir, 'bad.yaml'))
  t.not(bad.code, 0)
  t.match(bad.stderr, /The Service "broken" is invalid: /)
  // targetPort defaults to port, so upstream reports both fields too
  t.match(bad.stderr, /\* spec\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive/)

  const deleted = await kubectl('delete', '-f', join(dir, 'app.yaml'))
  t.equal(deleted.code, 0, deleted.stderr)
  t.match(deleted.stdout, /deployment\.apps "web" deleted/)
  t.match(deleted.stdout, /service "web" deleted/)
  const gone = await kubectl('get', 'deploy', 'web')
  t.not(gone.code, 0)
  t.match(gone.stderr, /NotFound/)
})
