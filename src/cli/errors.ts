import { StatusError } from '../api/errors.js'

/** One line for stderr: `error: …`, with a Status's causes folded in as kubectl does. */
export function formatCliError(err: unknown): string {
  if (err instanceof StatusError) {
    const causes = err.details?.causes ?? []
    if (err.reason === 'Invalid' && causes.length > 0) {
      return `error: ${err.message}`
    }
    return `Error from server (${err.reason}): ${err.message}`
  }
  if (err instanceof Error) return `error: ${err.message}`
  return `error: ${String(err)}`
}
