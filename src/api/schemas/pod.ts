// Pod schema with upstream's strategic-merge metadata.
// upstream: staging/src/k8s.io/api/core/v1/types.go (PodSpec, Container, PodStatus; patchStrategy/patchMergeKey/listType tags)
import type { Schema } from '../schema.js'
import { registerSchema } from '../schema.js'
import { any, atomic, bool, conditions, int, intOrString, map, mapList, obj, str } from './builders.js'
import { kindSchema, labelSelector, objectMeta } from './meta.js'

const httpGet = obj({
  path: str,
  port: intOrString,
  host: str,
  scheme: str,
  httpHeaders: atomic(obj({ name: str, value: str })),
})
const handler = {
  exec: obj({ command: atomic(str) }),
  httpGet,
  tcpSocket: obj({ port: intOrString, host: str }),
}
const probe = obj({
  ...handler,
  grpc: obj({ port: int, service: str }),
  initialDelaySeconds: int,
  timeoutSeconds: int,
  periodSeconds: int,
  successThreshold: int,
  failureThreshold: int,
  terminationGracePeriodSeconds: int,
})
const lifecycleHandler = obj({ ...handler, sleep: obj({ seconds: int }) })

const resources = obj({
  limits: map(),
  requests: map(),
  claims: mapList('name', obj({ name: str, request: str })),
})

/** upstream Container (also the shape of initContainers). */
export const container: Schema = obj({
  name: str,
  image: str,
  command: atomic(str),
  args: atomic(str),
  workingDir: str,
  // upstream: patchMergeKey:"containerPort" patchStrategy:"merge", listMapKey containerPort+protocol
  ports: mapList('containerPort', obj({ name: str, hostPort: int, containerPort: int, protocol: str, hostIP: str })),
  envFrom: atomic(obj({ prefix: str, configMapRef: any, secretRef: any })),
  // upstream: patchMergeKey:"name" patchStrategy:"merge"
  env: mapList('name', obj({ name: str, value: str, valueFrom: any })),
  resources,
  resizePolicy: atomic(obj({ resourceName: str, restartPolicy: str })),
  restartPolicy: str,
  // upstream: patchMergeKey:"mountPath" patchStrategy:"merge"
  volumeMounts: mapList(
    'mountPath',
    obj({ name: str, readOnly: bool, recursiveReadOnly: str, mountPath: str, subPath: str, mountPropagation: str, subPathExpr: str }),
  ),
  volumeDevices: mapList('devicePath', obj({ name: str, devicePath: str })),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: obj({ postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: str }),
  terminationMessagePath: str,
  terminationMessagePolicy: str,
  imagePullPolicy: str,
  securityContext: any,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
})

const volumeSources = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
]
/** upstream Volume: a name plus exactly one source (sources stay free-form). */
export const volume: Schema = obj({ name: str, ...Object.fromEntries(volumeSources.map((s) => [s, any])) })

const nodeSelectorRequirement = obj({ key: str, operator: str, values: atomic(str) })
const nodeSelectorTerm = obj({ matchExpressions: atomic(nodeSelectorRequirement), matchFields: atomic(nodeSelectorRequirement) })
const affinity = obj({
  nodeAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: obj({ nodeSelectorTerms: atomic(nodeSelectorTerm) }),
    preferredDuringSchedulingIgnoredDuringExecution: atomic(obj({ weight: int, preference: nodeSelectorTerm })),
  }),
  podAffinity: any,
  podAntiAffinity: any,
})

/** upstream PodSpec. */
export const podSpec: Schema = obj({
  // upstream: patchMergeKey:"name" patchStrategy:"merge,retainKeys"
  volumes: mapList('name', volume),
  initContainers: mapList('name', container),
  containers: mapList('name', container),
  ephemeralContainers: mapList('name', any),
  restartPolicy: str,
  terminationGracePeriodSeconds: int,
  activeDeadlineSeconds: int,
  dnsPolicy: str,
  nodeSelector: map(),
  serviceAccountName: str,
  serviceAccount: str,
  automountServiceAccountToken: bool,
  nodeName: str,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  shareProcessNamespace: bool,
  securityContext: any,
  imagePullSecrets: mapList('name', obj({ name: str })),
  hostname: str,
  subdomain: str,
  affinity,
  schedulerName: str,
  // upstream: +listType=atomic (no patchStrategy): a patch replaces the whole list
  tolerations: atomic(obj({ key: str, operator: str, value: str, effect: str, tolerationSeconds: int })),
  hostAliases: mapList('ip', obj({ ip: str, hostnames: atomic(str) })),
  priorityClassName: str,
  priority: int,
  dnsConfig: obj({ nameservers: atomic(str), searches: atomic(str), options: atomic(obj({ name: str, value: str })) }),
  readinessGates: atomic(obj({ conditionType: str })),
  runtimeClassName: str,
  enableServiceLinks: bool,
  preemptionPolicy: str,
  overhead: map(),
  topologySpreadConstraints: mapList(
    'topologyKey',
    obj({
      maxSkew: int,
      topologyKey: str,
      whenUnsatisfiable: str,
      labelSelector,
      minDomains: int,
      nodeAffinityPolicy: str,
      nodeTaintsPolicy: str,
      matchLabelKeys: atomic(str),
    }),
  ),
  setHostnameAsFQDN: bool,
  os: obj({ name: str }),
  hostUsers: bool,
  schedulingGates: mapList('name', obj({ name: str })),
  resourceClaims: mapList('name', any),
  resources,
  hostnameOverride: str,
})

const containerState = obj({
  waiting: obj({ reason: str, message: str }),
  running: obj({ startedAt: str }),
  terminated: obj({ exitCode: int, signal: int, reason: str, message: str, startedAt: str, finishedAt: str, containerID: str }),
})
const containerStatus = obj({
  name: str,
  state: containerState,
  lastState: containerState,
  ready: bool,
  restartCount: int,
  image: str,
  imageID: str,
  containerID: str,
  started: bool,
  allocatedResources: map(),
  resources,
  volumeMounts: atomic(any),
  user: any,
  allocatedResourcesStatus: atomic(any),
  stopSignal: str,
})

/** upstream PodStatus. */
export const podStatus: Schema = obj({
  observedGeneration: int,
  phase: str,
  conditions,
  message: str,
  reason: str,
  nominatedNodeName: str,
  hostIP: str,
  hostIPs: mapList('ip', obj({ ip: str })),
  podIP: str,
  podIPs: mapList('ip', obj({ ip: str })),
  startTime: str,
  initContainerStatuses: atomic(containerStatus),
  containerStatuses: atomic(containerStatus),
  ephemeralContainerStatuses: atomic(containerStatus),
  qosClass: str,
  resize: str,
  resourceClaimStatuses: mapList('name', any),
})

/** upstream PodTemplateSpec, embedded by every workload. */
export const podTemplateSpec: Schema = obj({ metadata: objectMeta, spec: podSpec })

registerSchema('Pod', kindSchema({ spec: podSpec, status: podStatus }))
