/** The key already holds an object (create). */
export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`key ${key} already exists`)
    this.name = 'KeyExistsError'
  }
}

/** The key holds no object (update, delete). */
export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key ${key} not found`)
    this.name = 'KeyNotFoundError'
  }
}

/** A precondition (resourceVersion or uid) did not hold. */
export class ConflictError extends Error {
  constructor(
    readonly key: string,
    readonly detail: string,
  ) {
    super(`conflict on ${key}: ${detail}`)
    this.name = 'ConflictError'
  }
}

/** The requested revision is older than the history the store keeps (maps to 410 Gone / Expired). */
export class ExpiredError extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`)
    this.name = 'ExpiredError'
  }
}

/** The store cannot serve (closed, etcd unreachable, disk error). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreUnavailableError'
  }
}
