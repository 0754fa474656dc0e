import { KplabError } from '../base/errors.js'

/**
 * A bad algorithm name, parameter or endpoint list; `field` names what to fix
 * (`algorithm`, `params.choices`, `endpoints[2].weight`) so the proxy can report it on the Service.
 */
export class BalancerConfigError extends KplabError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('ELBCONFIG', `${field}: ${message}`)
  }
}
