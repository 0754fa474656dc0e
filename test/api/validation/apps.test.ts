import t from 'tap'
import { applyDefaults } from '../../../src/api/defaults.js'
import type { KubeObject } from '../../../src/api/meta.js'
import { deepClone } from '../../../src/api/object.js'
import { validateDaemonSet, validateDeployment, validateLabelSelector, validateReplicaSet } from '../../../src/api/validation/apps.js'
import { daemonSet, deployment, lines, matchExactly, replicaSet, res } from '../fixtures.js'

const KINDS: [string, () => KubeObject, (o: KubeObject, old?: KubeObject) => ReturnType<typeof validateDeployment>][] = [
  ['Deployment', deployment, validateDeployment],
  ['ReplicaSet', replicaSet, validateReplicaSet],
  ['DaemonSet', daemonSet, validateDaemonSet],
]

function defaulted(kind: string, make: () => KubeObject): KubeObject {
  const o = make()
  applyDefaults(res(kind), o)
  return o
}

t.test('defaulted workloads are valid', async (t) => {
  for (const [kind, make, validate] of KINDS) t.same(lines(validate(defaulted(kind, make))), [], kind)
})

t.test('rules shared by every workload kind', async (t) => {
  const cases: [string, (o: any) => void, (string | RegExp)[]][] = [
    ['selector required', (o) => delete o.spec.selector, ['spec.selector: Required value']],
    ['empty selector', (o) => (o.spec.selector = {}), [/^spec.selector: Invalid value: \{\}: empty selector is invalid for (deployment|replicaset|daemonset)$/]],
    [
      'selector does not match template labels',
      (o) => (o.spec.template.metadata.labels = { app: 'api' }),
      ['spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`'],
    ],
    [
      'template containers validated with the template prefix',
      (o) => (o.spec.template.spec.containers[0].ports = [{ containerPort: 0, protocol: 'TCP' }]),
      ['spec.template.spec.containers[0].ports[0].containerPort: Required value'],
    ],
    ['template restartPolicy', (o) => (o.spec.template.spec.restartPolicy = 'Never'), ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    [
      'selector expression',
      (o) => (o.spec.selector.matchExpressions = [{ key: 'tier', operator: 'In' }]),
      ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    ['template label value', (o) => (o.spec.template.metadata.labels.v = '-x'), [/^spec.template.metadata.labels\[v\]: Invalid value: "-x": a valid label must be/]],
  ]
  for (const [kind, make, validate] of KINDS) {
    for (const [name, mutate, want] of cases) {
      const o = defaulted(kind, make)
      mutate(o)
      matchExactly(t, lines(validate(o)), want, `${kind}: ${name}`)
    }
  }
})

t.test('replicas must be non-negative', async (t) => {
  for (const [kind, make, validate] of KINDS.slice(0, 2)) {
    const o = defaulted(kind, make) as any
    o.spec.replicas = -1
    t.same(lines(validate(o)), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'], kind)
  }
})

t.test('Deployment strategy and deadlines', async (t) => {
  const cases: [string, (o: any) => void, (string | RegExp)[]][] = [
    ['strategy type', (o) => (o.spec.strategy.type = 'BlueGreen'), ['spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"']],
    ['rollingUpdate with Recreate', (o) => (o.spec.strategy.type = 'Recreate'), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]],
    ['both zero', (o) => (o.spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: '0%' }), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0']],
    ['bad percent', (o) => (o.spec.strategy.rollingUpdate.maxSurge = '25'), [/^spec.strategy.rollingUpdate.maxSurge: Invalid value: "25": a valid percent string must be/]],
    ['over 100%', (o) => (o.spec.strategy.rollingUpdate.maxUnavailable = '150%'), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%']],
    ['negative surge', (o) => (o.spec.strategy.rollingUpdate.maxSurge = -1), ['spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0']],
    ['revisionHistoryLimit', (o) => (o.spec.revisionHistoryLimit = -2), ['spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0']],
    ['progressDeadline vs minReady', (o) => (o.spec.minReadySeconds = 600), ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']],
    ['status', (o) => (o.status = { replicas: -1 }), ['status.replicas: Invalid value: -1: must be greater than or equal to 0']],
  ]
  for (const [name, mutate, want] of cases) {
    const o = defaulted('Deployment', deployment)
    mutate(o)
    matchExactly(t, lines(validateDeployment(o)), want, name)
  }
})

t.test('DaemonSet update strategy', async (t) => {
  const o = defaulted('DaemonSet', daemonSet) as any
  o.spec.updateStrategy = { type: 'Surge' }
  t.same(lines(validateDaemonSet(o)), ['spec.updateStrategy.type: Unsupported value: "Surge": supported values: "OnDelete", "RollingUpdate"'])
  o.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }
  t.same(lines(validateDaemonSet(o)), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'])
  o.spec.updateStrategy = { type: 'OnDelete' }
  t.same(validateDaemonSet(o), [])
})

t.test('selectors are immutable on update; replicas and template are not', async (t) => {
  for (const [kind, make, validate] of KINDS) {
    const old = defaulted(kind, make)
    const scaled = deepClone(old) as any
    scaled.spec.replicas = 5
    scaled.spec.template.spec.containers[0].image = 'nginx:2'
    t.same(validate(scaled, old), [], `${kind} scale and new image`)
    const moved = deepClone(old) as any
    moved.spec.selector = { matchLabels: { app: 'web', track: 'stable' } }
    moved.spec.template.metadata.labels.track = 'stable'
    t.same(lines(validate(moved, old)), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","track":"stable"}}: field is immutable'], kind)
  }
})

t.test('validateLabelSelector operators', async (t) => {
  t.same(
    lines(
      validateLabelSelector(
        {
          matchExpressions: [
            { key: 'a', operator: 'Exists', values: ['x'] },
            { key: 'b', operator: 'Equals', values: ['x'] },
            { key: '', operator: 'DoesNotExist' },
          ],
        },
        's',
      ),
    ),
    [
      "s.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      's.matchExpressions[1].operator: Invalid value: "Equals": not a valid selector operator',
      's.matchExpressions[2].key: Invalid value: "": name part must be non-empty',
      "s.matchExpressions[2].key: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
  )
})
