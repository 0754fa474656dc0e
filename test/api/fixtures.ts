// Valid manifests of every kind, as a user would write them (before defaulting), for the api tests.
import type { Test } from 'tap'
import type { KubeObject } from '../../src/api/meta.js'
import type { ResourceInfo } from '../../src/api/registry.js'
import { RESOURCES } from '../../src/api/registry.js'

/** The registry entry of a kind. */
export function res(kind: string): ResourceInfo {
  const r = RESOURCES.find((x) => x.kind === kind)
  if (!r) throw new Error(`no resource ${kind}`)
  return r
}

/** A minimal valid Pod. */
export function pod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          ports: [{ name: 'http', containerPort: 80 }],
          env: [{ name: 'MODE', value: 'lab' }],
          readinessProbe: { httpGet: { port: 'http' } },
        },
      ],
    },
  }
}

/** A minimal valid ClusterIP Service with two named ports. */
export function service(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'metrics', port: 9090 },
      ],
    },
  }
}

const template = (): KubeObject['spec'] => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
})

/** A minimal valid Deployment. */
export function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template() },
  }
}

/** A minimal valid ReplicaSet. */
export function replicaSet(): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } }
}

/** A minimal valid DaemonSet. */
export function daemonSet(): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } }
}

/** A valid EndpointSlice with two endpoints. */
export function endpointSlice(): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-x1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [
      { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } },
      { addresses: ['10.244.2.7'], conditions: { ready: false }, nodeName: 'node-2', zone: 'a' },
    ],
    ports: [{ name: 'http', port: 8080 }],
  }
}

/** Valid Endpoints. */
export function endpoints(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '10.244.1.5', nodeName: 'node-1' }], ports: [{ port: 8080 }] }],
  }
}

/** A valid Node. */
export function node(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '2', memory: '2Gi', pods: '110' },
      addresses: [{ type: 'InternalIP', address: '192.168.56.11' }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  }
}

/** A valid core/v1 Event. */
export function event(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-1.17a0', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', uid: 'u1', apiVersion: 'v1' },
    reason: 'Scheduled',
    message: 'Successfully assigned default/web-1 to node-1',
    type: 'Normal',
    count: 1,
    source: { component: 'default-scheduler' },
  }
}

/** A valid Lease. */
export function lease(): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
    spec: { holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 },
  }
}

/** A valid Namespace. */
export function namespace(): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }
}

/** One valid manifest per kind in RESOURCES. */
export const VALID: Record<string, () => KubeObject> = {
  Namespace: namespace,
  Pod: pod,
  Service: service,
  Endpoints: endpoints,
  Node: node,
  Event: event,
  Deployment: deployment,
  ReplicaSet: replicaSet,
  DaemonSet: daemonSet,
  EndpointSlice: endpointSlice,
  Lease: lease,
}

/** Causes as upstream prints them (`spec.ports[0].port: Invalid value: 0: …`), for exact comparisons. */
export function lines(causes: { field: string; message: string }[]): string[] {
  return causes.map((c) => `${c.field}: ${c.message}`)
}

/** Sets a dotted path (numeric steps index arrays) on a manifest; `undefined` deletes. */
export function set(obj: unknown, path: string, value: unknown): void {
  const steps = path.split('.')
  let cur = obj as Record<string, unknown>
  for (const step of steps.slice(0, -1)) {
    if (cur[step] === undefined) cur[step] = {}
    cur = cur[step] as Record<string, unknown>
  }
  const last = steps[steps.length - 1]!
  if (value === undefined) delete cur[last]
  else cur[last] = value
}

/** Asserts got has exactly as many entries as want and each matches (string equal or RegExp), in order. */
export function matchExactly(t: Test, got: string[], want: (string | RegExp)[], msg?: string): void {
  if (got.length === want.length) t.pass(`${msg ?? 'causes'}: ${want.length} as expected`)
  else t.fail(`${msg ?? 'causes'}: expected ${want.length}, got ${got.length}:\n${got.join('\n')}`)
  t.match(got, want, msg ?? 'causes')
}
