// The admission chain every create and update goes through, in upstream's order:
// defaulting → NamespaceLifecycle → service allocation → validation.
import type { KubeObject } from '../../api/meta.js'
import type { ResourceInfo } from '../../api/registry.js'
import { StatusError, invalid, notFound } from '../../api/errors.js'
import { applyDefaults } from '../../api/defaults.js'
import { validate } from '../../api/validation/index.js'
import { RESOURCES } from '../../api/registry.js'
import type { Store } from '../../storage/store.js'
import { keyFor } from '../../storage/keys.js'
import { AllocationRejected, type AllocationTxn, type ServiceAllocation } from './service-allocation.js'

/** The operation being admitted. */
export type AdmissionOperation = 'CREATE' | 'UPDATE'

const NAMESPACES = RESOURCES.find((r) => r.kind === 'Namespace')!
const NOOP: AllocationTxn = { rollback: () => undefined, commit: () => undefined }

/** Runs the admission steps on an object about to be written; the object is modified in place. */
export class Admission {
  private readonly store: Store
  readonly allocation: ServiceAllocation

  constructor(opts: { store: Store; allocation: ServiceAllocation }) {
    this.store = opts.store
    this.allocation = opts.allocation
  }

  /**
   * Admits obj (old for updates). Returns the allocation reservations, which the caller must
   * commit after a successful write or roll back after a failed or dry-run one.
   * Fails with a StatusError (404 namespace, 403 terminating namespace, 422 invalid).
   */
  async admit(op: AdmissionOperation, r: ResourceInfo, obj: KubeObject, old?: KubeObject): Promise<AllocationTxn> {
    applyDefaults(r, obj)
    if (op === 'CREATE' && r.namespaced) await this.checkNamespace(obj.metadata.namespace ?? '')
    const name = obj.metadata.name ?? ''
    let txn = NOOP
    if (r.kind === 'Service') {
      try {
        txn = op === 'CREATE' ? this.allocation.forCreate(obj) : this.allocation.forUpdate(obj, old!)
      } catch (err) {
        if (err instanceof AllocationRejected) throw invalid(r, name, err.causes)
        throw err
      }
    }
    const causes = validate(r, obj, old)
    if (causes.length > 0) {
      txn.rollback()
      throw invalid(r, name, causes)
    }
    return txn
  }

  // upstream: plugin/pkg/admission/namespace/lifecycle/admission.go
  private async checkNamespace(ns: string): Promise<void> {
    const nsObj = await this.store.get(keyFor(NAMESPACES, undefined, ns))
    if (!nsObj) throw notFound(NAMESPACES, ns)
    const phase = (nsObj.status as { phase?: string } | undefined)?.phase
    if (nsObj.metadata.deletionTimestamp || phase === 'Terminating') {
      throw new StatusError(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`, {
        name: ns,
        kind: 'namespaces',
      })
    }
  }
}
