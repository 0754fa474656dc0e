import t from 'tap'
import { RESOURCES } from '../../src/api/registry.js'
import { StatusError } from '../../src/api/errors.js'
import { ConflictError, ExpiredError, KeyExistsError, KeyNotFoundError, StoreUnavailableError } from '../../src/storage/errors.js'
import { protobufUnsupported, storageToStatus, toStatusError } from '../../src/apiserver/errors.js'

const deploy = RESOURCES.find((r) => r.kind === 'Deployment')!

t.test('storage errors become the Status of the resource', async (t) => {
  t.match(storageToStatus(new KeyExistsError('k'), deploy, 'web'), { code: 409, reason: 'AlreadyExists', message: 'deployments.apps "web" already exists' })
  t.match(storageToStatus(new KeyNotFoundError('k'), deploy, 'web'), { code: 404, message: 'deployments.apps "web" not found' })
  t.match(storageToStatus(new ConflictError('k', 'rv'), deploy, 'web'), { code: 409, reason: 'Conflict' })
  t.match(storageToStatus(new ExpiredError(3, 9), deploy, 'web'), { code: 410, reason: 'Expired' })
  const other = new Error('x')
  t.equal(storageToStatus(other, deploy, 'web'), other)
})

t.test('toStatusError maps everything', async (t) => {
  const se = new StatusError(418, 'Teapot', 'short and stout')
  t.equal(toStatusError(se), se)
  t.match(toStatusError(new KeyNotFoundError('k')), { code: 404 })
  t.match(toStatusError(new StoreUnavailableError('etcd down')), { code: 503, reason: 'ServiceUnavailable' })
  t.match(toStatusError(Object.assign(new Error('too big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })), { code: 413 })
  t.match(toStatusError(Object.assign(new Error('bad'), { code: 'FST_ERR_SOMETHING', statusCode: 400 })), { code: 400, reason: 'BadRequest' })
  t.match(toStatusError(new Error('boom')), { code: 500, reason: 'InternalError', message: 'Internal error occurred: boom' })
})

t.test('the protobuf 415 says what to do instead', async (t) => {
  const e = protobufUnsupported()
  t.equal(e.code, 415)
  t.match(e.message, /--dry-run=client -o yaml \| kubectl apply -f -/)
})
