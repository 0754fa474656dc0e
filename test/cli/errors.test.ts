import t from 'tap'
import { StatusError, field, invalid, notFound } from '../../src/api/errors.js'
import { resourceByName } from '../../src/api/registry.js'
import { formatCliError } from '../../src/cli/errors.js'

const svc = resourceByName('svc')!
const deploy = resourceByName('deploy')!

t.test('422 renders the causes (not the message) on one line', async (t) => {
  t.equal(
    formatCliError(invalid(svc, 'web', [field.invalid('spec.ports[0].port', 0, 'must be between 1 and 65535, inclusive')])),
    'The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  )
  t.equal(
    formatCliError(invalid(deploy, 'web', [field.invalid('spec.replicas', -1, 'must be greater than or equal to 0'), field.required('spec.template.spec.containers[0].image')])),
    'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0; spec.template.spec.containers[0].image: Required value',
  )
  t.equal(formatCliError(new StatusError(422, 'Invalid', 'must be >= 0', { kind: 'Deployment', name: 'web' })), 'The Deployment "web" is invalid', 'no causes: message dropped')
})

t.test('other Status errors, 401, connection refused, plain errors', async (t) => {
  t.equal(formatCliError(notFound(resourceByName('po')!, 'nope')), 'Error from server (NotFound): pods "nope" not found')
  t.equal(formatCliError(new StatusError(401, 'Unauthorized', 'Unauthorized')), 'error: You must be logged in to the server (Unauthorized)')
  const refused = Object.assign(new Error('The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?'), { code: 'ECONNREFUSED' })
  t.equal(formatCliError(refused), 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?')
  t.equal(formatCliError(new Error('bad flag')), 'error: bad flag')
  t.equal(formatCliError('x'), 'error: x')
})
