import t from 'tap'
import { decodeContinue, encodeContinue } from '../../../src/apiserver/registry/continue.js'

t.test('tokens round-trip and are opaque base64url', async (t) => {
  const tok = encodeContinue({ rv: 42, start: '/registry/pods/default/p3' })
  t.match(tok, /^[A-Za-z0-9_-]+$/)
  t.same(decodeContinue(tok), { rv: 42, start: '/registry/pods/default/p3' })
})

t.test('malformed tokens are a 400 naming the parameter', async (t) => {
  for (const bad of ['', 'garbage', Buffer.from('{"v":"x","rv":1,"start":"k"}').toString('base64url'), Buffer.from('{"v":"meta.k8s.io/v1","rv":"1","start":"k"}').toString('base64url')]) {
    t.throws(() => decodeContinue(bad), { code: 400, message: /continue/ }, bad)
  }
})
