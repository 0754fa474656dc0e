import { pino, type Logger } from 'pino'

export type { Logger }

/** Options for a component's logger. */
export interface LoggerOptions {
  /** Component name, logged on every line (apiserver, proxy, …). */
  component: string
  /** pino level; 'silent' in tests. */
  level?: string
  /** Where lines go; stderr by default so stdout stays for command output. */
  destination?: NodeJS.WritableStream
}

/** Structured logger for a component (pino, one JSON object per line). */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    { name: opts.component, level: opts.level ?? 'info', base: { component: opts.component } },
    (opts.destination ?? process.stderr) as pino.DestinationStream,
  )
}

/** A logger that writes nothing, for tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
