import { field, type StatusCause } from '../../api/errors.js'

/** Why an allocation failed: the value is outside the range, already taken, or nothing is left. */
export type AllocationErrorKind = 'OutOfRange' | 'Allocated' | 'Full'

/**
 * A ClusterIP or NodePort allocation failure. The app turns `OutOfRange`/`Allocated` into a 422
 * cause on `spec.clusterIP` / `spec.ports[i].nodePort` (see `toCause`) and `Full` into a 500.
 */
export class AllocationError extends Error {
  constructor(
    readonly kind: AllocationErrorKind,
    message: string,
  ) {
    super(message)
    this.name = 'AllocationError'
  }

  /** The 422 cause for the field that asked for `value` (`Invalid value: "10.0.0.1": provided IP is …`). */
  toCause(path: string, value: unknown): StatusCause {
    return field.invalid(path, value, this.message)
  }
}
