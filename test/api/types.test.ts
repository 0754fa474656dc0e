// The typed interfaces and the schemas describe the same fields: a fully typed object of each kind
// (every field the interfaces declare) has no unknown field under its kind's schema.
import t from 'tap'
import '../../src/api/schemas/index.js'
import { unknownFields } from '../../src/api/strict.js'
import type { DaemonSet, Deployment, Endpoints, EndpointSlice, Event, Lease, Namespace, Node, Pod, ReplicaSet, Scale, Service } from '../../src/api/types.js'

const probe = { httpGet: { path: '/', port: 'http', host: 'h', scheme: 'HTTP' as const, httpHeaders: [{ name: 'a', value: 'b' }] }, exec: { command: ['x'] }, tcpSocket: { port: 1, host: 'h' }, grpc: { port: 1, service: 's' }, initialDelaySeconds: 1, timeoutSeconds: 1, periodSeconds: 1, successThreshold: 1, failureThreshold: 1, terminationGracePeriodSeconds: 1 }
const meta = { name: 'n', generateName: 'g', namespace: 'ns', uid: 'u', resourceVersion: '1', generation: 1, creationTimestamp: 't', deletionTimestamp: 't', deletionGracePeriodSeconds: 1, labels: {}, annotations: {}, ownerReferences: [{ apiVersion: 'v1', kind: 'K', name: 'n', uid: 'u', controller: true, blockOwnerDeletion: true }], finalizers: ['f'], managedFields: [] }
const state = { waiting: { reason: 'r', message: 'm' }, running: { startedAt: 't' }, terminated: { exitCode: 0, signal: 1, reason: 'r', message: 'm', startedAt: 't', finishedAt: 't', containerID: 'c' } }
const term = { matchExpressions: [{ key: 'k', operator: 'In' as const, values: ['v'] }], matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: ['n'] }] }

const podSpec: Pod['spec'] = {
  containers: [
    {
      name: 'c', image: 'i', command: ['a'], args: ['b'], workingDir: '/', ports: [{ name: 'p', hostPort: 1, containerPort: 1, protocol: 'TCP', hostIP: '0.0.0.0' }],
      env: [{ name: 'E', value: 'v', valueFrom: {} }], resources: { limits: { cpu: '1' }, requests: { cpu: '1' } }, volumeMounts: [{ name: 'v', mountPath: '/m', readOnly: true, subPath: 's' }],
      livenessProbe: probe, readinessProbe: probe, startupProbe: probe, terminationMessagePath: '/t', terminationMessagePolicy: 'File', imagePullPolicy: 'Always', restartPolicy: 'Always', securityContext: {}, stdin: false, tty: false,
    },
  ],
  initContainers: [], volumes: [{ name: 'v', emptyDir: {} }], restartPolicy: 'Always', terminationGracePeriodSeconds: 1, activeDeadlineSeconds: 1, dnsPolicy: 'ClusterFirst', nodeSelector: {}, serviceAccountName: 's', nodeName: 'n', hostNetwork: false, hostname: 'h', subdomain: 's',
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] }, preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: term }] }, podAffinity: {}, podAntiAffinity: {} },
  schedulerName: 's', tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute', tolerationSeconds: 1 }], priority: 0, priorityClassName: 'p', enableServiceLinks: true, securityContext: {}, imagePullSecrets: [{ name: 's' }],
}
const template = { metadata: meta, spec: podSpec }
const cond = { type: 'Available', status: 'True' as const, lastUpdateTime: 't', lastTransitionTime: 't', reason: 'r', message: 'm' }
const ref = { kind: 'Pod', namespace: 'ns', name: 'n', uid: 'u', apiVersion: 'v1', resourceVersion: '1', fieldPath: 'f' }

const objects: [string, object][] = [
  ['Pod', {
    apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpec,
    status: {
      phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: 't', reason: 'r', message: 'm' }], message: 'm', reason: 'r', hostIP: '1.1.1.1', hostIPs: [{ ip: '1.1.1.1' }], podIP: '1.1.1.2', podIPs: [{ ip: '1.1.1.2' }], startTime: 't',
      containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'i', imageID: 'i', containerID: 'c', started: true, state, lastState: state }], initContainerStatuses: [], qosClass: 'BestEffort',
    },
  } satisfies Pod],
  ['Service', {
    metadata: meta,
    spec: {
      ports: [{ name: 'p', protocol: 'TCP', appProtocol: 'http', port: 1, targetPort: 'p', nodePort: 30000 }], selector: {}, clusterIP: '1.1.1.1', clusterIPs: ['1.1.1.1'], type: 'ClusterIP', externalIPs: [], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 1 } },
      loadBalancerIP: '', loadBalancerSourceRanges: [], loadBalancerClass: 'c', externalName: 'e', externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Cluster', healthCheckNodePort: 1, publishNotReadyAddresses: false, ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', allocateLoadBalancerNodePorts: true, trafficDistribution: 'PreferClose',
    },
    status: { loadBalancer: { ingress: [{ ip: '1.1.1.1', hostname: 'h', ipMode: 'VIP', ports: [{ port: 1, protocol: 'TCP', error: 'e' }] }] }, conditions: [{ type: 't', status: 'True', reason: 'r', message: 'm', lastTransitionTime: 't' }] },
  } satisfies Service],
  ['Endpoints', { metadata: meta, subsets: [{ addresses: [{ ip: '1.1.1.1', hostname: 'h', nodeName: 'n', targetRef: ref }], notReadyAddresses: [], ports: [{ name: 'p', port: 1, protocol: 'TCP', appProtocol: 'a' }] }] } satisfies Endpoints],
  ['EndpointSlice', {
    metadata: meta, addressType: 'IPv4',
    endpoints: [{ addresses: ['1.1.1.1'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'h', targetRef: ref, nodeName: 'n', zone: 'z', hints: { forZones: [{ name: 'z' }], forNodes: [{ name: 'n' }] } }],
    ports: [{ name: 'p', protocol: 'TCP', port: 1, appProtocol: 'a' }],
  } satisfies EndpointSlice],
  ['Namespace', { metadata: meta, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active', conditions: [{ type: 't', status: 'True', reason: 'r', message: 'm', lastTransitionTime: 't' }] } } satisfies Namespace],
  ['Node', {
    metadata: meta,
    spec: { podCIDR: 'c', podCIDRs: ['c'], providerID: 'p', unschedulable: false, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule', timeAdded: 't' }] },
    status: {
      capacity: {}, allocatable: {}, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't', lastTransitionTime: 't', reason: 'r', message: 'm' }], addresses: [{ type: 'InternalIP', address: 'a' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: 'k', osImage: 'o', containerRuntimeVersion: 'c', kubeletVersion: 'k', kubeProxyVersion: 'k', operatingSystem: 'linux', architecture: 'amd64' },
    },
  } satisfies Node],
  ['Event', {
    metadata: meta, involvedObject: ref, reason: 'r', message: 'm', source: { component: 'c', host: 'h' }, firstTimestamp: 't', lastTimestamp: null, count: 1, type: 'Normal', eventTime: null, series: { count: 1, lastObservedTime: 't' }, action: 'a', related: ref, reportingComponent: 'c', reportingInstance: 'i',
  } satisfies Event],
  ['Lease', { metadata: meta, spec: { holderIdentity: 'h', leaseDurationSeconds: 1, acquireTime: 't', renewTime: 't', leaseTransitions: 0, strategy: 's', preferredHolder: 'p' } } satisfies Lease],
  ['Deployment', {
    metadata: meta,
    spec: { replicas: 1, selector: { matchLabels: {}, matchExpressions: [{ key: 'k', operator: 'Exists' }] }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } }, minReadySeconds: 0, revisionHistoryLimit: 1, paused: false, progressDeadlineSeconds: 1 },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 0, terminatingReplicas: 0, conditions: [cond], collisionCount: 0 },
  } satisfies Deployment],
  ['ReplicaSet', {
    metadata: meta, spec: { replicas: 1, minReadySeconds: 0, selector: {}, template },
    status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, terminatingReplicas: 0, observedGeneration: 1, conditions: [cond] },
  } satisfies ReplicaSet],
  ['DaemonSet', {
    metadata: meta, spec: { selector: {}, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, minReadySeconds: 0, revisionHistoryLimit: 1 },
    status: { currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1, observedGeneration: 1, updatedNumberScheduled: 1, numberAvailable: 1, numberUnavailable: 0, collisionCount: 0, conditions: [cond] },
  } satisfies DaemonSet],
  ['Scale', { metadata: meta, spec: { replicas: 1 }, status: { replicas: 1, selector: 'a=b' } } satisfies Scale],
]

t.test('every field the types declare is known to the schemas', async (t) => {
  for (const [kind, obj] of objects) t.same(unknownFields({ kind }, obj), [], kind)
})
