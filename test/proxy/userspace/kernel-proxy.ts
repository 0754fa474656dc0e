// Runs a userspace proxier inside a lab node namespace for the kernel test (not a test file):
// started as `ip netns exec <node> node --import tsx kernel-proxy.ts`, it reads Services and
// EndpointSlices as JSON from KPLAB_KERNEL_OBJECTS, writes the portal rules in its own namespace,
// prints "synced" and runs until killed.
import { execFileSync } from 'node:child_process'
import { realClock } from '../../../src/base/clock.js'
import { seededRng } from '../../../src/base/rng.js'
import { SpawnRunner } from '../../../src/netns/exec.js'
import type { EndpointSlice, Service } from '../../../src/api/types.js'
import { EndpointSliceCache } from '../../../src/proxy/endpointslice-cache.js'
import { IptablesExec } from '../../../src/proxy/iptables/restore.js'
import { ServiceChangeTracker, type ServicePortMap } from '../../../src/proxy/service-change-tracker.js'
import { PortalWriter } from '../../../src/proxy/userspace/portals.js'
import { UserspaceProxier } from '../../../src/proxy/userspace/proxier.js'

// Safety: this writes nat rules in the namespace it runs in, so it refuses to run anywhere but a
// named lab namespace (never the host's root namespace) and only when the kernel test started it.
const here = execFileSync('ip', ['netns', 'identify', String(process.pid)], { encoding: 'utf8' }).trim()
if (process.env.KPLAB_KERNEL_OBJECTS === undefined || !here.startsWith('kplab-')) {
  console.error('kernel-proxy.ts is started by portals.test.ts inside a kplab- lab namespace only')
  process.exit(0)
}
const objects = JSON.parse(process.env.KPLAB_KERNEL_OBJECTS ?? '{}') as { services: Service[]; slices: EndpointSlice[] }
const portals = new PortalWriter(new IptablesExec({ runner: new SpawnRunner(), netns: null }))
const proxier = new UserspaceProxier({ clock: realClock, rng: seededRng(1), defaultAlgorithm: 'round-robin', bindAddress: '0.0.0.0', portals })
const sct = new ServiceChangeTracker()
for (const s of objects.services) sct.update(undefined, s)
const cache = new EndpointSliceCache('node-1')
for (const s of objects.slices) cache.updatePending(s, false)
const map: ServicePortMap = new Map()
sct.applyTo(map)
const endpoints = new Map<string, ReturnType<EndpointSliceCache['endpointsForService']> extends Map<string, infer V> ? V : never>()
for (const key of cache.checkoutChanges()) for (const [k, v] of cache.endpointsForService(key)) endpoints.set(k, v)
await proxier.sync(map, (spn) => endpoints.get(spn) ?? [])
console.log('synced')
process.on('SIGTERM', () => {
  void portals.cleanup().finally(() => process.exit(0))
})
