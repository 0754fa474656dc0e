import { StatusError } from '../api/errors.js'

/** One line for stderr: `error: …`, with a Status's causes folded in (several causes joined by `; `, so errors stay one line). */
export function formatCliError(err: unknown): string {
  if (err instanceof StatusError) {
    const causes = err.details?.causes ?? []
    // upstream: kubectl/pkg/cmd/util/helpers.go (checkErr: IsInvalid renders details, not message;
    // MultilineError puts several causes on "* " lines; kplab keeps them on one line, joined by "; ")
    if (err.reason === 'Invalid' && err.details && (err.details.kind || err.details.name)) {
      const head = `The ${err.details.kind ?? ''} "${err.details.name ?? ''}" is invalid`
      if (causes.length === 0) return head
      const lines = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message))
      return `${head}: ${lines.join('; ')}`
    }
    if (err.reason === 'Unauthorized') return `error: You must be logged in to the server (${err.message || 'Unauthorized'})`
    return `Error from server (${err.reason}): ${err.message}`
  }
  // kubectl prints connection failures bare: "The connection to the server … was refused - …".
  if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'ECONNREFUSED') return err.message
  if (err instanceof Error) return `error: ${err.message}`
  return `error: ${String(err)}`
}
