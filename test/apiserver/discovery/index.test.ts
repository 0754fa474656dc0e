import t from 'tap'
import * as discovery from '../../../src/apiserver/discovery/index.js'

t.test('the barrel exports the discovery API', async (t) => {
  for (const name of ['aggregatedDiscovery', 'wantsAggregated', 'apiVersions', 'apiGroupList', 'apiResourceList', 'versionInfo', 'openapiV3Root', 'openapiV3GroupVersion']) {
    t.type((discovery as Record<string, unknown>)[name], 'function', name)
  }
  t.equal(discovery.AGGREGATED_DISCOVERY_CONTENT_TYPE, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
})
