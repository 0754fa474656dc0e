import { existsSync } from 'node:fs'
import t from 'tap'
import { BUILTIN_IMAGES, builtinScriptPath, findOnPath, imageName, resolveImage } from '../../../src/kubelet/runtime/images.js'

const env = { pathEnv: process.env.PATH ?? '/usr/bin:/bin', nodeExecPath: '/opt/node' }

t.test('imageName strips tag, digest and docker.io', async (t) => {
  t.equal(imageName('kplab/echo:latest'), 'kplab/echo')
  t.equal(imageName('docker.io/kplab/echo@sha256:abc'), 'kplab/echo')
  t.equal(imageName('localhost:5000/x'), 'localhost:5000/x')
})

t.test('every built-in image script exists', async (t) => {
  for (const script of Object.values(BUILTIN_IMAGES)) t.ok(existsSync(builtinScriptPath(script)), script)
})

t.test('a built-in image runs its script with node; args follow', async (t) => {
  const r = resolveImage({ image: 'kplab/echo:1.0', args: ['--x'] }, env)
  t.same(r, { ok: true, image: 'kplab/echo', cmd: '/opt/node', args: [builtinScriptPath('echo.mjs'), '--x'], builtin: true })
})

t.test('any image with a command found on the host runs that command', async (t) => {
  const r = resolveImage({ image: 'busybox', command: ['sh', '-c'], args: ['echo hi'] }, env)
  t.ok(r.ok)
  if (r.ok) {
    t.equal(r.cmd, findOnPath('sh', env.pathEnv))
    t.same(r.args, ['-c', 'echo hi'])
  }
})

t.test('anything else is ErrImagePull naming the images that exist', async (t) => {
  const r = resolveImage({ image: 'nginx' }, env)
  t.equal(r.ok, false)
  if (!r.ok) {
    t.equal(r.reason, 'ErrImagePull')
    t.match(r.message, 'kplab/echo, kplab/tcp-echo, kplab/udp-echo')
  }
  const missing = resolveImage({ image: 'nginx', command: ['no-such-binary-kplab'] }, env)
  t.match(!missing.ok && missing.message, 'was not found on the host')
  const none = resolveImage({ image: '' }, env)
  t.equal(!none.ok && none.reason, 'InvalidImageName')
})
