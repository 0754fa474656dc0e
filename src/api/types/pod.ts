// Pod types, field for field as upstream staging/src/k8s.io/api/core/v1/types.go (only the fields kplab reads or serves).
import type { KubeObject, ObjectMeta } from '../meta.js'

/** A port number or an IANA port name (`targetPort`, `maxSurge`, probe ports). */
export type IntOrString = number | string

/** Condition status as upstream writes it. */
export type ConditionStatus = 'True' | 'False' | 'Unknown'

/** One port a container exposes. */
export interface ContainerPort {
  name?: string
  hostPort?: number
  containerPort: number
  protocol?: 'TCP' | 'UDP' | 'SCTP'
  hostIP?: string
}

/** One environment variable (value or valueFrom). */
export interface EnvVar {
  name: string
  value?: string
  valueFrom?: Record<string, unknown>
}

/** Compute resource limits and requests (`cpu: 100m`, `memory: 64Mi`). */
export interface ResourceRequirements {
  limits?: Record<string, string>
  requests?: Record<string, string>
}

/** An HTTP GET probe action. */
export interface HTTPGetAction {
  path?: string
  port: IntOrString
  host?: string
  scheme?: 'HTTP' | 'HTTPS'
  httpHeaders?: { name: string; value: string }[]
}

/** A liveness, readiness or startup probe. */
export interface Probe {
  exec?: { command?: string[] }
  httpGet?: HTTPGetAction
  tcpSocket?: { port: IntOrString; host?: string }
  grpc?: { port: number; service?: string }
  initialDelaySeconds?: number
  timeoutSeconds?: number
  periodSeconds?: number
  successThreshold?: number
  failureThreshold?: number
  terminationGracePeriodSeconds?: number
}

/** A mount of a pod volume into a container. */
export interface VolumeMount {
  name: string
  mountPath: string
  readOnly?: boolean
  subPath?: string
}

/** One container of a pod. */
export interface Container {
  name: string
  image?: string
  command?: string[]
  args?: string[]
  workingDir?: string
  ports?: ContainerPort[]
  env?: EnvVar[]
  resources?: ResourceRequirements
  volumeMounts?: VolumeMount[]
  livenessProbe?: Probe
  readinessProbe?: Probe
  startupProbe?: Probe
  terminationMessagePath?: string
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError'
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never'
  restartPolicy?: 'Always'
  securityContext?: Record<string, unknown>
  stdin?: boolean
  tty?: boolean
}

/** A node selector requirement (`key In [a, b]`). */
export interface NodeSelectorRequirement {
  key: string
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'
  values?: string[]
}

/** One term of a node selector; terms are ORed, requirements inside a term ANDed. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[]
  matchFields?: NodeSelectorRequirement[]
}

/** Node affinity: required terms (filter) and preferred terms (score). */
export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] }
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[]
}

/** Scheduling affinity of a pod (only nodeAffinity is acted on by kplab). */
export interface Affinity {
  nodeAffinity?: NodeAffinity
  podAffinity?: Record<string, unknown>
  podAntiAffinity?: Record<string, unknown>
}

/** A toleration of node taints. */
export interface Toleration {
  key?: string
  operator?: 'Exists' | 'Equal'
  value?: string
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | ''
  tolerationSeconds?: number
}

/** A volume of a pod (the source fields stay free-form). */
export interface Volume {
  name: string
  [source: string]: unknown
}

/** The desired state of a pod. */
export interface PodSpec {
  containers: Container[]
  initContainers?: Container[]
  volumes?: Volume[]
  restartPolicy?: 'Always' | 'OnFailure' | 'Never'
  terminationGracePeriodSeconds?: number
  activeDeadlineSeconds?: number
  dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None'
  nodeSelector?: Record<string, string>
  serviceAccountName?: string
  nodeName?: string
  hostNetwork?: boolean
  hostname?: string
  subdomain?: string
  affinity?: Affinity
  schedulerName?: string
  tolerations?: Toleration[]
  priority?: number
  priorityClassName?: string
  enableServiceLinks?: boolean
  securityContext?: Record<string, unknown>
  imagePullSecrets?: { name: string }[]
}

/** One pod condition (PodScheduled, Initialized, ContainersReady, Ready). */
export interface PodCondition {
  type: string
  status: ConditionStatus
  lastProbeTime?: string | null
  lastTransitionTime?: string
  reason?: string
  message?: string
}

/** The state of one container as the kubelet reports it. */
export interface ContainerStatus {
  name: string
  ready: boolean
  restartCount: number
  image: string
  imageID: string
  containerID?: string
  started?: boolean
  state?: ContainerState
  lastState?: ContainerState
}

/** Exactly one of waiting, running, terminated. */
export interface ContainerState {
  waiting?: { reason?: string; message?: string }
  running?: { startedAt?: string }
  terminated?: { exitCode: number; signal?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string }
}

/** The observed state of a pod. */
export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'
  conditions?: PodCondition[]
  message?: string
  reason?: string
  hostIP?: string
  hostIPs?: { ip: string }[]
  podIP?: string
  podIPs?: { ip: string }[]
  startTime?: string
  containerStatuses?: ContainerStatus[]
  initContainerStatuses?: ContainerStatus[]
  qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort'
}

/** A pod (core/v1). */
export interface Pod extends KubeObject {
  spec: PodSpec
  status?: PodStatus
}

/** The pod template of a workload. */
export interface PodTemplateSpec {
  metadata?: ObjectMeta
  spec: PodSpec
}
