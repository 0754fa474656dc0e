// Node IPAM: gives every node without one a pod CIDR from --cluster-cidr (spec.podCIDR/podCIDRs), and
// takes it back when the node goes.
// upstream: pkg/controller/nodeipam/ipam/range_allocator.go
import { StatusError } from '../../api/errors.js'
import type { Node } from '../../api/types.js'
import type { Informer } from '../../client/informer.js'
import { newQueue, runQueue, type Controller, type ControllerContext } from '../context.js'
import { resource } from '../informer-factory.js'
import { CidrSet } from './cidr-set.js'

const NODES = resource('nodes')

/** Allocates pod CIDRs to nodes. */
export class NodeIpamController implements Controller {
  readonly name = 'node-ipam'
  private readonly queue
  private readonly cidrs: CidrSet
  private readonly nodeInformer: Informer<Node>
  private readonly assigned = new Map<string, string>()

  constructor(
    private readonly ctx: ControllerContext,
    clusterCIDR: string,
    maskSize = 24,
  ) {
    this.queue = newQueue(ctx)
    this.cidrs = new CidrSet(clusterCIDR, maskSize)
    this.nodeInformer = ctx.informers.informer<Node>('nodes')
    this.nodeInformer.addEventHandler({
      onAdd: (n) => this.observe(n),
      onUpdate: (_o, n) => this.observe(n),
      onDelete: (n) => {
        const c = this.assigned.get(n.metadata.name!) ?? n.spec?.podCIDR
        if (c) this.cidrs.release(c)
        this.assigned.delete(n.metadata.name!)
      },
    })
  }

  private observe(n: Node): void {
    const c = n.spec?.podCIDR
    if (c) {
      // Taken by the node already (or by us): never hand it out again.
      this.cidrs.occupy(c)
      this.assigned.set(n.metadata.name!, c)
    } else this.queue.add(n.metadata.name!)
  }

  /** Works until the signal aborts; existing CIDRs are all occupied before the first allocation. */
  run(signal: AbortSignal): Promise<void> {
    return runQueue(this.ctx, this.name, this.queue, (k) => this.sync(k), signal, 1)
  }

  /** Allocates a CIDR for the named node if it still has none. */
  async sync(name: string): Promise<void> {
    const node = this.nodeInformer.cache.get(undefined, name)
    if (!node || node.spec?.podCIDR) return
    let cidr = this.assigned.get(name)
    if (!cidr) {
      cidr = this.cidrs.allocateNext()
      this.assigned.set(name, cidr)
    }
    try {
      await this.ctx.client.patch(NODES, undefined, name, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'application/merge-patch+json')
      this.ctx.logger.info({ node: name, podCIDR: cidr }, 'allocated pod CIDR')
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) {
        this.cidrs.release(cidr)
        this.assigned.delete(name)
        return
      }
      throw err
    }
  }
}
