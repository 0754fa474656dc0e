// Where labs keep their state: one answer for every command that acts on a lab.
import { homedir } from 'node:os'
import { join } from 'node:path'

/** `$KPLAB_HOME`, or `~/.kplab`. */
export function labStateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.KPLAB_HOME ?? join(homedir(), '.kplab')
}
