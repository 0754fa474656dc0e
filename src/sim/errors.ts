import { KplabError } from '../base/errors.js'

/** A scenario file that does not validate; `field` is the path to fix (`workload.arrivals.rate`). */
export class ScenarioError extends KplabError {
  constructor(
    readonly field: string,
    /** What is wrong, without the field or file. */
    readonly detail: string,
    /** The scenario file, when known. */
    readonly file?: string,
  ) {
    super('ESCENARIO', `${file ? `${file}: ` : ''}${field ? `${field}: ` : ''}${detail}`)
  }
}
