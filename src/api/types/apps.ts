// Workload types as upstream staging/src/k8s.io/api/apps/v1/types.go and autoscaling/v1 Scale.
import type { KubeObject } from '../meta.js'
import type { ConditionStatus, IntOrString, PodTemplateSpec } from './pod.js'

/** One requirement of a label selector object. */
export interface LabelSelectorRequirement {
  key: string
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'
  values?: string[]
}

/** A label selector as written in manifests (`matchLabels` and `matchExpressions`, ANDed). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>
  matchExpressions?: LabelSelectorRequirement[]
}

/** A condition of a workload (Available, Progressing, ReplicaFailure). */
export interface WorkloadCondition {
  type: string
  status: ConditionStatus
  lastUpdateTime?: string
  lastTransitionTime?: string
  reason?: string
  message?: string
}

/** How a Deployment replaces pods. */
export interface DeploymentStrategy {
  type?: 'Recreate' | 'RollingUpdate'
  rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString }
}

/** The desired state of a Deployment. */
export interface DeploymentSpec {
  replicas?: number
  selector: LabelSelectorObject
  template: PodTemplateSpec
  strategy?: DeploymentStrategy
  minReadySeconds?: number
  revisionHistoryLimit?: number
  paused?: boolean
  progressDeadlineSeconds?: number
}

/** The observed state of a Deployment. */
export interface DeploymentStatus {
  observedGeneration?: number
  replicas?: number
  updatedReplicas?: number
  readyReplicas?: number
  availableReplicas?: number
  unavailableReplicas?: number
  terminatingReplicas?: number
  conditions?: WorkloadCondition[]
  collisionCount?: number
}

/** A Deployment (apps/v1). */
export interface Deployment extends KubeObject {
  spec: DeploymentSpec
  status?: DeploymentStatus
}

/** The desired state of a ReplicaSet. */
export interface ReplicaSetSpec {
  replicas?: number
  minReadySeconds?: number
  selector: LabelSelectorObject
  template?: PodTemplateSpec
}

/** The observed state of a ReplicaSet. */
export interface ReplicaSetStatus {
  replicas: number
  fullyLabeledReplicas?: number
  readyReplicas?: number
  availableReplicas?: number
  terminatingReplicas?: number
  observedGeneration?: number
  conditions?: WorkloadCondition[]
}

/** A ReplicaSet (apps/v1). */
export interface ReplicaSet extends KubeObject {
  spec: ReplicaSetSpec
  status?: ReplicaSetStatus
}

/** How a DaemonSet replaces pods. */
export interface DaemonSetUpdateStrategy {
  type?: 'RollingUpdate' | 'OnDelete'
  rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString }
}

/** The desired state of a DaemonSet. */
export interface DaemonSetSpec {
  selector: LabelSelectorObject
  template: PodTemplateSpec
  updateStrategy?: DaemonSetUpdateStrategy
  minReadySeconds?: number
  revisionHistoryLimit?: number
}

/** The observed state of a DaemonSet. */
export interface DaemonSetStatus {
  currentNumberScheduled: number
  numberMisscheduled: number
  desiredNumberScheduled: number
  numberReady: number
  observedGeneration?: number
  updatedNumberScheduled?: number
  numberAvailable?: number
  numberUnavailable?: number
  collisionCount?: number
  conditions?: WorkloadCondition[]
}

/** A DaemonSet (apps/v1). */
export interface DaemonSet extends KubeObject {
  spec: DaemonSetSpec
  status?: DaemonSetStatus
}

/** The scale subresource (autoscaling/v1). */
export interface Scale extends KubeObject {
  spec?: { replicas?: number }
  status?: { replicas: number; selector?: string }
}
