import t from 'tap'
import { applyDefaults } from '../../../src/api/defaults.js'
import type { KubeObject } from '../../../src/api/meta.js'
import { deepClone } from '../../../src/api/object.js'
import { POD_UPDATE_MESSAGE, validatePod, validatePodSpec, validatePodSpecUpdate, validateTolerations } from '../../../src/api/validation/pod.js'
import { lines, matchExactly, pod, res, set } from '../fixtures.js'

function defaulted(): KubeObject {
  const p = pod()
  applyDefaults(res('Pod'), p)
  return p
}

t.test('a defaulted pod is valid', async (t) => {
  t.same(validatePod(defaulted()), [])
})

t.test('invalid pods name the field with upstream wording', async (t) => {
  const cases: [string, (p: any) => void, (string | RegExp)[]][] = [
    ['no containers', (p) => (p.spec.containers = []), ['spec.containers: Required value']],
    ['container without name or image', (p) => (p.spec.containers[0] = { ports: [] }), ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value']],
    [
      'duplicate container names',
      (p) => p.spec.containers.push({ name: 'app', image: 'x', imagePullPolicy: 'Always' }),
      ['spec.containers[1].name: Duplicate value: "app"'],
    ],
    ['container name not a label', (p) => (p.spec.containers[0].name = 'App'), [/^spec.containers\[0\].name: Invalid value: "App": a lowercase RFC 1123 label must consist of/]],
    ['containerPort 0', (p) => (p.spec.containers[0].ports[0].containerPort = 0), ['spec.containers[0].ports[0].containerPort: Required value']],
    [
      'containerPort out of range',
      (p) => (p.spec.containers[0].ports[0].containerPort = 70000),
      ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ],
    [
      'unsupported protocol',
      (p) => (p.spec.containers[0].ports[0].protocol = 'ICMP'),
      ['spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      'restartPolicy',
      (p) => (p.spec.restartPolicy = 'Sometimes'),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      'dnsPolicy',
      (p) => (p.spec.dnsPolicy = 'Google'),
      ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    ['nodeName', (p) => (p.spec.nodeName = 'Node_1'), [/^spec.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain/]],
    ['nodeSelector value', (p) => (p.spec.nodeSelector = { zone: 'a b' }), [/^spec.nodeSelector\[zone\]: Invalid value: "a b": a valid label must be/]],
    ['env name', (p) => (p.spec.containers[0].env[0].name = '1MODE'), [/^spec.containers\[0\].env\[0\].name: Invalid value: "1MODE": a valid environment variable name/]],
    ['mount of an undeclared volume', (p) => (p.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/d' }]), ['spec.containers[0].volumeMounts[0].name: Not found: "data"']],
    ['probe without handler', (p) => (p.spec.containers[0].livenessProbe = { periodSeconds: 5 }), ['spec.containers[0].livenessProbe: Required value: must specify a handler type']],
    [
      'probe named port invalid',
      (p) => (p.spec.containers[0].readinessProbe.httpGet.port = 'HTTP'),
      [
        'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)',
      ],
    ],
    [
      'hostNetwork hostPort must match containerPort',
      (p) => {
        p.spec.hostNetwork = true
        p.spec.containers[0].ports[0].hostPort = 8080
      },
      ['spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true'],
    ],
    ['duplicate port names', (p) => p.spec.containers[0].ports.push({ name: 'http', containerPort: 81, protocol: 'TCP' }), ['spec.containers[0].ports[1].name: Duplicate value: "http"']],
    ['activeDeadlineSeconds', (p) => (p.spec.activeDeadlineSeconds = 0), ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']],
    ['podIP', (p) => (p.status.podIP = '10.244.1'), ['status.podIP: Invalid value: "10.244.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['status.phase', (p) => (p.status.phase = 'Done'), ['status.phase: Unsupported value: "Done": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"']],
    [
      'required nodeAffinity terms',
      (p) =>
        (p.spec.affinity = {
          nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } },
        }),
      ["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      'sidecar restartPolicy on a regular container',
      (p) => (p.spec.containers[0].restartPolicy = 'Always'),
      ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ],
    ['name', (p) => (p.metadata.name = 'Web'), [/^metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain/]],
  ]
  for (const [name, mutate, want] of cases) {
    const p = defaulted()
    mutate(p)
    matchExactly(t, lines(validatePod(p)), want, name)
  }
})

t.test('validatePodSpec prefixes paths for templates', async (t) => {
  t.same(lines(validatePodSpec({ containers: [], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' }, 'spec.template.spec')), ['spec.template.spec.containers: Required value'])
  t.same(lines(validatePodSpec({ containers: [{ name: 'a', image: 'x' }] }, 'spec.template.spec')), [
    'spec.template.spec.restartPolicy: Required value',
    'spec.template.spec.dnsPolicy: Required value',
  ])
})

t.test('tolerations (upstream validateTolerations)', async (t) => {
  t.same(validateTolerations([{ operator: 'Exists' }, { key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute', tolerationSeconds: 30 }], 'spec.tolerations'), [])
  t.same(
    lines(
      validateTolerations(
        [
          { key: 'k', operator: 'Exists', value: 'v' },
          { value: 'v' },
          { key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 },
          { key: 'k', operator: 'Like' },
          { key: 'k', effect: 'Never' },
        ],
        'spec.tolerations',
      ),
    ),
    [
      'spec.tolerations[0].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      'spec.tolerations[2].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      'spec.tolerations[3].operator: Unsupported value: "Like": supported values: "Equal", "Exists"',
      'spec.tolerations[4].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
  )
})

t.test('pod updates may change only images, deadlines, added tolerations and an unset nodeName', async (t) => {
  const old = defaulted()
  const allowed: [string, (p: any) => void][] = [
    ['image', (p) => (p.spec.containers[0].image = 'nginx:1.28')],
    ['activeDeadlineSeconds', (p) => (p.spec.activeDeadlineSeconds = 60)],
    ['added toleration', (p) => (p.spec.tolerations = [{ operator: 'Exists' }])],
    ['binding', (p) => (p.spec.nodeName = 'node-1')],
    ['labels and status', (p) => {
      p.metadata.labels.extra = 'x'
      p.status = { phase: 'Running' }
    }],
  ]
  for (const [name, mutate] of allowed) {
    const p = deepClone(old)
    mutate(p)
    t.same(validatePod(p, old), [], name)
  }
  const forbidden: [string, (p: any) => void][] = [
    ['ports', (p) => (p.spec.containers[0].ports[0].containerPort = 81)],
    ['added container', (p) => p.spec.containers.push({ name: 'b', image: 'x', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' })],
    ['restartPolicy', (p) => (p.spec.restartPolicy = 'Never')],
  ]
  for (const [name, mutate] of forbidden) {
    const p = deepClone(old)
    mutate(p)
    t.same(lines(validatePodSpecUpdate(p.spec, old.spec)), [`spec: Forbidden: ${POD_UPDATE_MESSAGE}`], name)
  }
  const bound = deepClone(old)
  set(bound, 'spec.nodeName', 'node-1')
  const moved = deepClone(bound)
  set(moved, 'spec.nodeName', 'node-2')
  t.same(lines(validatePodSpecUpdate(moved.spec, bound.spec)), [`spec: Forbidden: ${POD_UPDATE_MESSAGE}`], 'a bound pod does not move')
  const renamed = deepClone(old)
  renamed.metadata.name = 'other'
  t.same(lines(validatePod(renamed, old)), ['metadata.name: Invalid value: "other": field is immutable'])
})
