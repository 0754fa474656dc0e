import t from 'tap'
import { resourceByName } from '../../../src/api/registry.js'
import { asList, kindName, printJson, printYaml, resourceName, sortKeys } from '../../../src/cli/printers/object.js'

t.test('names as kubectl prints them', async (t) => {
  t.equal(resourceName(resourceByName('deploy')!, 'web'), 'deployment.apps/web')
  t.equal(resourceName(resourceByName('po')!, 'client'), 'pod/client')
  t.equal(kindName(resourceByName('endpointslices')!), 'endpointslice.discovery.k8s.io')
})

t.test('json: sorted keys, 4-space indent; yaml: sorted, sequences not indented', async (t) => {
  const obj = { metadata: { name: 'a' }, kind: 'Pod', apiVersion: 'v1', spec: { containers: [{ name: 'c', image: 'i' }] } }
  t.equal(
    printJson(obj),
    '{\n    "apiVersion": "v1",\n    "kind": "Pod",\n    "metadata": {\n        "name": "a"\n    },\n    "spec": {\n        "containers": [\n            {\n                "image": "i",\n                "name": "c"\n            }\n        ]\n    }\n}\n',
  )
  t.equal(printYaml(obj), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - image: i\n    name: c\n')
  t.same(Object.keys(sortKeys({ b: 1, a: 2 }) as object), ['a', 'b'])
  t.same(asList([]), { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } })
})
