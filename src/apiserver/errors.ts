import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from '../base/logger.js'
import { StatusError, alreadyExists, badRequest, conflict, expired, internalError, notFound, tooLarge, unsupportedMediaType, type Status } from '../api/errors.js'
import type { ResourceInfo } from '../api/registry.js'
import { ConflictError, ExpiredError, KeyExistsError, KeyNotFoundError, StoreUnavailableError } from '../storage/errors.js'

/** The header kube-apiserver sends on every response; kubectl's HTTP cache then re-asks every time (kubectl-surface.md §0). */
export const CACHE_CONTROL = 'no-cache, private'

/** The media types accepted for request bodies, named in the 415 message. */
export const ACCEPTED_MEDIA_TYPES = [
  'application/json',
  'application/yaml',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
]

/** 415 for protobuf bodies, saying what to do instead (kubectl's generators send protobuf; kubectl-surface.md §2.2). */
export function protobufUnsupported(): StatusError {
  return unsupportedMediaType(
    'the body of the request was in an unknown format - accepted media types include: ' +
      `${ACCEPTED_MEDIA_TYPES.join(', ')} (kplab does not read protobuf; ` +
      'instead of `kubectl create deployment ...` use `kubectl create deployment ... --dry-run=client -o yaml | kubectl apply -f -`)',
  )
}

/**
 * Turns a storage error into the Status error of the resource it concerns
 * (`pods "x" not found`, `deployments.apps "web" already exists`, Conflict, Expired).
 * Anything else is returned unchanged.
 */
export function storageToStatus(err: unknown, r: ResourceInfo, name: string): unknown {
  if (err instanceof KeyExistsError) return alreadyExists(r, name)
  if (err instanceof KeyNotFoundError) return notFound(r, name)
  if (err instanceof ConflictError) return conflict(r, name)
  if (err instanceof ExpiredError) return expired(`too old resource version: ${err.requested} (${err.oldest})`)
  return err
}

/** Maps any thrown value to a StatusError (the one place deciding what a failure looks like on the wire). */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err
  if (err instanceof KeyExistsError) return new StatusError(409, 'AlreadyExists', err.message)
  if (err instanceof KeyNotFoundError) return new StatusError(404, 'NotFound', err.message)
  if (err instanceof ConflictError) return new StatusError(409, 'Conflict', `Operation cannot be fulfilled: ${err.detail}`)
  if (err instanceof ExpiredError) return expired(`too old resource version: ${err.requested} (${err.oldest})`)
  if (err instanceof StoreUnavailableError) {
    // 503 tells clients to retry later rather than give up (upstream answers etcd timeouts so too).
    return new StatusError(503, 'ServiceUnavailable', `storage unavailable: ${err.message}`, { retryAfterSeconds: 1 })
  }
  const fe = err as Partial<FastifyError>
  if (fe && typeof fe === 'object' && typeof fe.code === 'string' && fe.code.startsWith('FST_')) {
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge(Number((fe as { limit?: number }).limit) || 0)
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return protobufUnsupportedOr(fe.message ?? '')
    const code = fe.statusCode ?? 500
    if (code >= 400 && code < 500) return badRequest(fe.message ?? 'bad request')
  }
  const message = err instanceof Error ? err.message : String(err)
  return internalError(message)
}

function protobufUnsupportedOr(message: string): StatusError {
  return unsupportedMediaType(`${message}; accepted media types include: ${ACCEPTED_MEDIA_TYPES.join(', ')}`)
}

/** Sends a Status with its HTTP code. */
export function sendStatus(reply: FastifyReply, status: Status): FastifyReply {
  return reply.code(status.code).header('content-type', 'application/json').send(status)
}

/**
 * Installs the error handler (every error becomes a Status), the 404 handler (unknown paths → NotFound
 * Status) and the hook that sets `Cache-Control: no-cache, private` on every response.
 */
export function installErrorHandling(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const se = toStatusError(err)
    if (se.code >= 500) logger.error({ err, url: req.url, method: req.method }, 'request failed')
    // The body-limit error has no limit field; name the configured one.
    if (se.reason === 'RequestEntityTooLarge') {
      const limit = req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0
      return sendStatus(reply, tooLarge(limit).toStatus())
    }
    return sendStatus(reply, se.toStatus())
  })
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const status = new StatusError(404, 'NotFound', 'the server could not find the requested resource').toStatus()
    return sendStatus(reply, status)
  })
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', CACHE_CONTROL)
    return payload
  })
}
