import t from 'tap'
import type { Schema } from '../../../src/api/schema.js'
import { applyStrategicMergePatch } from '../../../src/apiserver/patch/strategic-merge-patch.js'

// Small local schemas with upstream's patch metadata (the real ones live in src/api/schemas/).
const str: Schema = { type: 'string' }
const int: Schema = { type: 'integer' }
const any: Schema = { type: 'any' }
const map: Schema = { type: 'object', additionalProperties: str }
const meta: Schema = {
  type: 'object',
  properties: { name: str, namespace: str, labels: map, annotations: map, finalizers: { type: 'array', items: str, listType: 'set' } },
}
const containerPort: Schema = { type: 'object', properties: { name: str, containerPort: int, protocol: str } }
const container: Schema = {
  type: 'object',
  properties: {
    name: str,
    image: str,
    args: { type: 'array', items: str, listType: 'atomic' },
    env: { type: 'array', items: { type: 'object', properties: { name: str, value: str } }, listType: 'map', mergeKey: 'name' },
    ports: { type: 'array', items: containerPort, listType: 'map', mergeKey: 'containerPort' },
    resources: any,
  },
}
const podSpec: Schema = {
  type: 'object',
  properties: {
    containers: { type: 'array', items: container, listType: 'map', mergeKey: 'name' },
    tolerations: { type: 'array', items: { type: 'object', properties: { key: str, operator: str } }, listType: 'atomic' },
    nodeSelector: map,
  },
}
const deployment: Schema = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: meta,
    spec: {
      type: 'object',
      properties: {
        replicas: int,
        strategy: {
          type: 'object',
          retainKeys: true,
          properties: { type: str, rollingUpdate: { type: 'object', properties: { maxSurge: { type: 'int-or-string' }, maxUnavailable: { type: 'int-or-string' } } } },
        },
        template: { type: 'object', properties: { metadata: meta, spec: podSpec } },
      },
    },
  },
}
const service: Schema = {
  type: 'object',
  properties: {
    metadata: meta,
    spec: {
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          items: { type: 'object', properties: { name: str, port: int, targetPort: { type: 'int-or-string' }, protocol: str, nodePort: int } },
          listType: 'map',
          mergeKey: 'port',
        },
        selector: map,
      },
    },
  },
}

const baseDeployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'old\n' } },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.26', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
    },
  },
})

t.test('kubectl-surface §3.7: second apply (replicas, image, extra containerPort)', async (t) => {
  const original = baseDeployment()
  const before = JSON.stringify(original)
  const patch = {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'new\n' } },
    spec: {
      replicas: 3,
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }],
          containers: [
            { '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }], image: 'nginx:1.27', name: 'nginx', ports: [{ containerPort: 443 }] },
          ],
        },
      },
    },
  }
  const out = applyStrategicMergePatch(original, patch, deployment)
  const want = baseDeployment()
  want.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = 'new\n'
  want.spec.replicas = 3
  want.spec.template.spec.containers = [
    { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 } as { containerPort: number; protocol: string }] },
  ]
  t.same(out, want)
  t.equal(JSON.stringify(original), before, 'original untouched')
})

t.test('kubectl-surface §3.7: Service port {name,port} MERGES into the existing port by "port"', async (t) => {
  const original = {
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] },
  }
  const patch = { metadata: { annotations: { a: 'b' } }, spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ name: 'http', port: 80 }] } }
  t.same(applyStrategicMergePatch(original, patch, service), {
    metadata: { name: 'web', annotations: { a: 'b' } },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP', name: 'http' }] },
  })
})

t.test('kubectl-surface §3.7: removals ($retainKeys, $patch delete, null, $setElementOrder)', async (t) => {
  const original = {
    metadata: { name: 'web', labels: { app: 'web', tier: 'frontend' } },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        spec: {
          containers: [
            {
              name: 'a',
              image: 'busybox',
              args: ['--y', '--z'],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 80 }, { containerPort: 443 }],
            },
            { name: 'sidecar', image: 'envoy' },
          ],
        },
      },
    },
  }
  const patch = {
    metadata: { labels: { tier: null } },
    spec: {
      strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'a' }],
          containers: [
            {
              '$setElementOrder/env': [{ name: 'B' }],
              '$setElementOrder/ports': [{ containerPort: 80 }],
              args: ['--x'],
              env: [
                { name: 'B', value: '3' },
                { $patch: 'delete', name: 'A' },
              ],
              name: 'a',
              ports: [{ $patch: 'delete', containerPort: 443 }],
            },
            { $patch: 'delete', name: 'sidecar' },
          ],
        },
      },
    },
  }
  t.same(applyStrategicMergePatch(original, patch, deployment), {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      template: {
        spec: {
          containers: [{ name: 'a', image: 'busybox', args: ['--x'], env: [{ name: 'B', value: '3' }], ports: [{ containerPort: 80 }] }],
        },
      },
    },
  })
})

t.test('$retainKeys drops unlisted keys and rejects patch fields outside the list', async (t) => {
  const orig = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }
  t.same(applyStrategicMergePatch(orig, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deployment), {
    spec: { strategy: { type: 'Recreate' } },
  })
  t.throws(() => applyStrategicMergePatch(orig, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } } } }, deployment), {
    name: 'StatusError',
    code: 422,
    message: /spec\.strategy: field "rollingUpdate" is in the patch but not in \$retainKeys/,
  })
  t.throws(() => applyStrategicMergePatch(orig, { spec: { strategy: { $retainKeys: 'type' } } }, deployment), { name: 'StatusError', code: 422 })
})

t.test('$setElementOrder puts named items first, the rest keep their relative order after', async (t) => {
  const orig = { spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } } } }
  const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'd' }, { name: 'a' }], containers: [{ name: 'd' }] } } } }
  const out = applyStrategicMergePatch(orig, patch, deployment) as typeof orig
  t.same(out.spec.template.spec.containers.map((c) => c.name), ['c', 'd', 'a', 'b'])
})

t.test('$patch: replace on a map and on a list', async (t) => {
  const orig = { spec: { template: { spec: { nodeSelector: { a: '1', b: '2' }, containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } } } }
  const patch = {
    spec: { template: { spec: { nodeSelector: { $patch: 'replace', c: '3' }, containers: [{ $patch: 'replace' }, { name: 'z', image: 'y' }] } } },
  }
  t.same(applyStrategicMergePatch(orig, patch, deployment), {
    spec: { template: { spec: { nodeSelector: { c: '3' }, containers: [{ name: 'z', image: 'y' }] } } },
  })
})

t.test('$patch: delete on a map removes its content', async (t) => {
  t.same(applyStrategicMergePatch({ spec: { strategy: { type: 'X' } } }, { spec: { strategy: { $patch: 'delete' } } }, deployment), { spec: { strategy: {} } })
  t.throws(() => applyStrategicMergePatch({}, { spec: { $patch: 'frob' } }, deployment), { name: 'StatusError', code: 422, message: /unknown \$patch value "frob"/ })
})

t.test('$deleteFromPrimitiveList and set lists', async (t) => {
  const orig = { metadata: { finalizers: ['a', 'b', 'c'] } }
  t.same(applyStrategicMergePatch(orig, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'], finalizers: ['d', 'a'] } }, deployment), {
    metadata: { finalizers: ['a', 'c', 'd'] },
  })
  t.same(applyStrategicMergePatch(orig, { metadata: { '$setElementOrder/finalizers': ['c', 'a'] } }, deployment), { metadata: { finalizers: ['c', 'a', 'b'] } })
  t.throws(() => applyStrategicMergePatch(orig, { metadata: { '$deleteFromPrimitiveList/finalizers': 'b' } }, deployment), { name: 'StatusError', code: 422 })
})

t.test('atomic and primitive lists are replaced whole', async (t) => {
  const orig = { spec: { template: { spec: { tolerations: [{ key: 'a' }, { key: 'b' }], containers: [{ name: 'c', args: ['1', '2'] }] } } } }
  const out = applyStrategicMergePatch(orig, { spec: { template: { spec: { tolerations: [{ key: 'z' }], containers: [{ name: 'c', args: ['3'] }] } } } }, deployment)
  t.same(out, { spec: { template: { spec: { tolerations: [{ key: 'z' }], containers: [{ name: 'c', args: ['3'] }] } } } })
})

t.test('below {type:any} it is a plain merge patch (lists replaced, nulls delete)', async (t) => {
  const orig = { spec: { template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: '1', memory: '1Gi' }, list: [1, 2] } }] } } } }
  const patch = { spec: { template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: null, gpu: '1' }, list: [3] } }] } } } }
  t.same(applyStrategicMergePatch(orig, patch, deployment), {
    spec: { template: { spec: { containers: [{ name: 'c', resources: { limits: { memory: '1Gi', gpu: '1' }, list: [3] } }] } } },
  })
  // With no schema at all every list is atomic.
  t.same(applyStrategicMergePatch({ a: [{ name: 'x', v: 1 }] }, { a: [{ name: 'x', w: 2 }] }, any), { a: [{ name: 'x', w: 2 }] })
})

t.test('new fields are taken from the patch with directives and nulls stripped', async (t) => {
  const out = applyStrategicMergePatch(
    { metadata: { name: 'web' } },
    { spec: { replicas: null, template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', env: [{ $patch: 'delete', name: 'X' }] }] } } } },
    deployment,
  )
  t.same(out, { metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'a' }] } } } })
})

t.test('map-list items must carry the merge key; a non-object patch is a 400', async (t) => {
  t.throws(() => applyStrategicMergePatch({}, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, deployment), {
    name: 'StatusError',
    code: 422,
    message: /does not contain declared merge key: name/,
  })
  t.throws(() => applyStrategicMergePatch({}, { spec: { template: { spec: { containers: ['x'] } } } }, deployment), { name: 'StatusError', code: 422 })
  t.throws(() => applyStrategicMergePatch(baseDeployment(), { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } }, deployment), {
    name: 'StatusError',
    code: 422,
    message: /must name its merge key "name"/,
  })
  t.throws(() => applyStrategicMergePatch({}, [1], deployment), { name: 'StatusError', code: 400 })
})

t.test('kubectl set image / cordon / rollout restart bodies', async (t) => {
  const d = baseDeployment()
  const out = applyStrategicMergePatch(
    d,
    {
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T10:00:00Z' } },
          spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.28', name: 'nginx' }] },
        },
      },
    },
    deployment,
  ) as ReturnType<typeof baseDeployment> & { spec: { template: { metadata: { annotations: Record<string, string> } } } }
  t.equal(out.spec.template.spec.containers[0]!.image, 'nginx:1.28')
  t.same(out.spec.template.spec.containers[0]!.ports, [{ containerPort: 80, protocol: 'TCP' }])
  t.same(out.spec.template.metadata.annotations, { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T10:00:00Z' })
  t.same(out.spec.template.metadata.labels, { app: 'web' })
  t.same(applyStrategicMergePatch({ spec: {} }, { spec: { unschedulable: true } }, any), { spec: { unschedulable: true } })
})

t.test('integration: the real schemas from src/api/schemas (schemaFor Deployment and Service)', async (t) => {
  const { schemaFor } = await import('../../../src/api/schema.js')
  await import('../../../src/api/schemas/index.js')
  const dep = applyStrategicMergePatch(
    baseDeployment(),
    {
      spec: {
        replicas: 3,
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }], image: 'nginx:1.27', name: 'nginx', ports: [{ containerPort: 443 }] }],
          },
        },
      },
    },
    schemaFor({ kind: 'Deployment' }),
  ) as ReturnType<typeof baseDeployment>
  t.equal(dep.spec.replicas, 3)
  t.same(dep.spec.strategy, { type: 'Recreate' })
  t.same(dep.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }])
  const svc = applyStrategicMergePatch(
    { metadata: { name: 'web' }, spec: { ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] } },
    { spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ name: 'http', port: 80 }] } },
    schemaFor({ kind: 'Service' }),
  )
  t.same(svc, { metadata: { name: 'web' }, spec: { ports: [{ port: 80, targetPort: 80, protocol: 'TCP', name: 'http' }] } })
})
