// The EndpointSlice controller loop: per Service with a selector, keeps its managed slices and the
// legacy Endpoints object in step with the selected pods. Deciding is in compute.ts.
// upstream: pkg/controller/endpointslice/endpointslice_controller.go (syncService),
//           pkg/controller/endpoint/endpoints_controller.go
import { StatusError } from '../../api/errors.js'
import { selectorFromSet, matchesLabels } from '../../api/selectors.js'
import type { EndpointSlice, Endpoints, Pod, Service } from '../../api/types.js'
import type { Informer } from '../../client/informer.js'
import { ensureIndex, newQueue, runQueue, type Controller, type ControllerContext } from '../context.js'
import { resource } from '../informer-factory.js'
import { keyOf, splitKey } from '../owner.js'
import { WriteTracker } from '../write-tracker.js'
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, desiredEndpoints, desiredSlices, planSlices } from './compute.js'

const SLICES = resource('endpointslices')
const ENDPOINTS = resource('endpoints')

/** Keeps EndpointSlices and Endpoints of every selector Service current. */
export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice'
  private readonly queue
  private readonly svcInformer: Informer<Service>
  private readonly podInformer: Informer<Pod>
  private readonly sliceInformer: Informer<EndpointSlice>
  private readonly epInformer: Informer<Endpoints>
  private readonly slices = new WriteTracker<EndpointSlice>()
  private readonly endpoints = new WriteTracker<Endpoints>()

  constructor(private readonly ctx: ControllerContext) {
    this.queue = newQueue(ctx)
    this.svcInformer = ctx.informers.informer<Service>('services')
    this.podInformer = ctx.informers.informer<Pod>('pods')
    this.sliceInformer = ctx.informers.informer<EndpointSlice>('endpointslices')
    this.epInformer = ctx.informers.informer<Endpoints>('endpoints')
    ensureIndex(this.podInformer, 'namespace', (p) => [p.metadata.namespace ?? ''])
    ensureIndex(this.svcInformer, 'namespace', (s) => [s.metadata.namespace ?? ''])
    ensureIndex(this.sliceInformer, 'service', (s) =>
      s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME && s.metadata.labels[SERVICE_NAME_LABEL] ? [`${s.metadata.namespace}/${s.metadata.labels[SERVICE_NAME_LABEL]}`] : [],
    )
    this.svcInformer.addEventHandler({
      onAdd: (s) => this.queue.add(keyOf(s)),
      onUpdate: (_o, s) => this.queue.add(keyOf(s)),
      onDelete: (s) => this.queue.add(keyOf(s)),
    })
    this.podInformer.addEventHandler({
      onAdd: (p) => this.enqueueFor(p),
      onUpdate: (o, p) => {
        this.enqueueFor(p)
        if (JSON.stringify(o.metadata.labels) !== JSON.stringify(p.metadata.labels)) this.enqueueFor(o)
      },
      onDelete: (p) => this.enqueueFor(p),
    })
    const onSlice = (s: EndpointSlice): void => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL]
      if (svc && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) this.queue.add(`${s.metadata.namespace}/${svc}`)
    }
    this.sliceInformer.addEventHandler({
      onAdd: (s) => this.slices.observe(s),
      onUpdate: (_o, s) => {
        this.slices.observe(s)
        onSlice(s)
      },
      onDelete: (s) => {
        this.slices.observe(s, true)
        onSlice(s)
      },
    })
    this.epInformer.addEventHandler({
      onAdd: (e) => this.endpoints.observe(e),
      onUpdate: (_o, e) => this.endpoints.observe(e),
      onDelete: (e) => {
        this.endpoints.observe(e, true)
        this.queue.add(keyOf(e))
      },
    })
  }

  /** Works until the signal aborts. */
  run(signal: AbortSignal): Promise<void> {
    return runQueue(this.ctx, this.name, this.queue, (k) => this.sync(k), signal, 4)
  }

  private enqueueFor(p: Pod): void {
    for (const s of this.svcInformer.byIndex('namespace', p.metadata.namespace ?? '')) {
      if (s.spec.selector && matchesLabels(selectorFromSet(s.spec.selector), p.metadata.labels)) this.queue.add(keyOf(s))
    }
  }

  /** One sync of a Service key. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key)
    const svc = this.svcInformer.cache.get(namespace, name)
    const existing = this.slices.merge(this.sliceInformer.byIndex('service', key), (s) => s.metadata.namespace === namespace && s.metadata.labels?.[SERVICE_NAME_LABEL] === name)
    const { client } = this.ctx
    if (!svc || !svc.spec.selector || svc.metadata.deletionTimestamp) {
      // Without a selector the Service's endpoints are someone else's; our slices go (upstream).
      for (const s of existing) await this.deleteSlice(s)
      return
    }
    const selector = selectorFromSet(svc.spec.selector)
    const pods = this.podInformer.byIndex('namespace', namespace).filter((p) => matchesLabels(selector, p.metadata.labels))
    const plan = planSlices(desiredSlices(svc, pods), existing)
    for (const s of plan.create) this.slices.wrote(await client.create(SLICES, s))
    for (const s of plan.update) this.slices.wrote(await client.update(SLICES, s))
    for (const s of plan.delete) await this.deleteSlice(s)
    await this.syncEndpoints(svc, desiredEndpoints(svc, pods))
  }

  private async syncEndpoints(svc: Service, want: Endpoints): Promise<void> {
    const cur = this.endpoints.get(keyOf(svc), this.epInformer.cache.get(svc.metadata.namespace, svc.metadata.name!))
    if (!cur) {
      try {
        this.endpoints.wrote(await this.ctx.client.create(ENDPOINTS, want))
      } catch (err) {
        // Our cache lags a create we already made: the informer will bring it and we sync again.
        if (!(err instanceof StatusError && err.code === 409)) throw err
      }
      return
    }
    if (JSON.stringify(cur.subsets ?? []) === JSON.stringify(want.subsets ?? []) && JSON.stringify(cur.metadata.labels ?? {}) === JSON.stringify(want.metadata.labels)) return
    const next: Endpoints = { ...cur, metadata: { ...cur.metadata, labels: want.metadata.labels } }
    if (want.subsets) next.subsets = want.subsets
    else delete next.subsets
    this.endpoints.wrote(await this.ctx.client.update(ENDPOINTS, next))
  }

  private async deleteSlice(s: EndpointSlice): Promise<void> {
    try {
      await this.ctx.client.delete(SLICES, s.metadata.namespace, s.metadata.name!)
      this.slices.removed(s)
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err
    }
  }
}
