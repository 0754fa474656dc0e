/** Base class for kplab's own errors: a stable code and what a person needs to fix it. */
export class KplabError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = new.target.name
  }
}

/** Bad input from a user (flag, file, manifest); the message names the field and the fix. */
export class UsageError extends KplabError {
  constructor(message: string) {
    super('EUSAGE', message)
  }
}

/** An external command (iptables-restore, ip, openssl) failed. */
export class CommandError extends KplabError {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super('ECOMMAND', `${command} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`)
  }
}
