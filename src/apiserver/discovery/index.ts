// Discovery, /version and OpenAPI documents the API server serves (pure: built from the registry).
export { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery, wantsAggregated } from './aggregated.js'
export type { APIGroupDiscoveryList, APIGroupDiscovery, APIResourceDiscovery } from './aggregated.js'
export { apiGroupList, apiResourceList, apiVersions } from './legacy.js'
export type { APIGroupList, APIResource, APIResourceList, APIVersions } from './legacy.js'
export { openapiV3GroupVersion, openapiV3Root } from './openapi.js'
export type { OpenAPIV3Document, OpenAPIV3Root } from './openapi.js'
export { KPLAB_GIT_VERSION, versionInfo } from './version.js'
export type { VersionInfo } from './version.js'
