// The core/v1 API group/version: every resource of it on the shared resource handler.
import type { FastifyInstance } from 'fastify'
import { mountResourceRoutes, type ResourceRouteContext } from './resource.js'

/** Registers the core/v1 resource paths. */
export async function coreV1Routes(app: FastifyInstance, ctx: ResourceRouteContext): Promise<void> {
  mountResourceRoutes(app, ctx, '', 'v1')
}
