// Starts kplab's real API server (in-memory embedded store) on a free loopback port, for client and
// CLI tests that should see the real wire behaviour rather than the fake's.
import type { Test } from 'tap'
import { buildApiServer } from '../../src/apiserver/app.js'
import { FakeClock } from '../../src/base/clock.js'
import { EmbeddedStore } from '../../src/storage/embedded/store.js'

/** Starts the API server over plain HTTP; stopped (and its store closed) at the test's teardown. */
export async function startKplabApiServer(t: Test): Promise<{ url: string }> {
  const clock = new FakeClock()
  const store = new EmbeddedStore({ clock })
  await store.open()
  const app = await buildApiServer({ store, clock })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => {
    await app.close()
    await store.close()
  })
  return { url }
}
