// The apps/v1 API group/version: every resource of it on the shared resource handler.
import type { FastifyInstance } from 'fastify'
import { mountResourceRoutes, type ResourceRouteContext } from './resource.js'

/** Registers the apps/v1 resource paths. */
export async function appsV1Routes(app: FastifyInstance, ctx: ResourceRouteContext): Promise<void> {
  mountResourceRoutes(app, ctx, 'apps', 'v1')
}
