// `kplab forward --map LISTEN=TARGET …`: the lab's byte forwarder (host loopback ↔ unix socket ↔ a
// component's TCP address inside a namespace); runs until SIGTERM/SIGINT.
import type { Command } from 'commander'
import { UsageError } from '../../base/errors.js'
import { formatEndpoint, parseForwardMap, startForwarder } from '../../lab/forwarder.js'

/** Registers `kplab forward` (started by `kplab up`; rarely run by hand). */
export function registerForward(program: Command): void {
  program
    .command('forward')
    .description('forward connections: --map tcp:127.0.0.1:PORT=unix:PATH or unix:PATH=tcp:HOST:PORT (used by kplab up)')
    .option('--map <listen=target>', 'one forward (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (f: { map: string[] }) => {
      if (f.map.length === 0) throw new UsageError('forward needs at least one --map LISTEN=TARGET, e.g. --map tcp:127.0.0.1:0=unix:/run/api.sock')
      let maps
      try {
        maps = f.map.map(parseForwardMap)
      } catch (e) {
        throw new UsageError((e as Error).message)
      }
      const fwd = await startForwarder(maps)
      const pairs = fwd.listening.map((l, i) => `${formatEndpoint(l)} -> ${formatEndpoint(maps[i]!.target)}`)
      process.stdout.write(`kplab forward ready: ${pairs.join(', ')}\n`)
      await new Promise<void>((resolve) => {
        const stop = (): void => void fwd.close().then(resolve, resolve)
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      })
    })
}
