import { Command, CommanderError } from 'commander'
import { registerCommands } from './commands/index.js'
import { formatCliError } from './errors.js'

/** Builds the `kplab` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('kplab')
    .description('A Kubernetes networking lab centred on kube-proxy')
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride()
  registerCommands(program)
  return program
}

/** Entry point of the `kplab` binary: runs one command; errors become one stderr line and exit 1. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its own message (help, version, unknown option).
      process.exitCode = err.exitCode
      return
    }
    process.stderr.write(`${formatCliError(err)}\n`)
    process.exitCode = 1
  }
}
