import { buildApiServer } from '../src/apiserver/app.js'
import { EmbeddedStore } from '../src/storage/embedded/store.js'
import { mkdtempSync } from 'node:fs'
const store = new EmbeddedStore({ dataDir: mkdtempSync('/tmp/kpprof-') })
await store.open()
const app = await buildApiServer({ store, tokens: null })
await app.inject({ method: 'POST', url: '/api/v1/namespaces', payload: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } } })
const N = 3000
const t0 = performance.now()
const cpu0 = process.cpuUsage()
let i = 0
await Promise.all(Array.from({ length: 16 }, async () => {
  while (i < N) {
    const n = i++
    const r = await app.inject({ method: 'POST', url: '/api/v1/namespaces/b/pods', payload: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${n}`, labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } })
    if (r.statusCode !== 201) throw new Error(r.body)
  }
}))
const ms = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
console.log(`${(N / ms * 1000).toFixed(0)} creates/s; cpu per create ${((cpu.user + cpu.system) / N).toFixed(0)} us`)
process.exit(0)
