// Deployment, ReplicaSet, DaemonSet and Scale schemas.
// upstream: staging/src/k8s.io/api/apps/v1/types.go and staging/src/k8s.io/api/autoscaling/v1/types.go
import { registerSchema } from '../schema.js'
import { conditions, int, intOrString, obj, bool, str } from './builders.js'
import { kindSchema, labelSelector } from './meta.js'
import { podTemplateSpec } from './pod.js'

const rollingUpdate = obj({ maxUnavailable: intOrString, maxSurge: intOrString })

registerSchema(
  'Deployment',
  kindSchema({
    spec: obj({
      replicas: int,
      selector: labelSelector,
      template: podTemplateSpec,
      // upstream: `Strategy DeploymentStrategy patchStrategy:"retainKeys"`
      strategy: obj({ type: str, rollingUpdate }, { retainKeys: true }),
      minReadySeconds: int,
      revisionHistoryLimit: int,
      paused: bool,
      progressDeadlineSeconds: int,
    }),
    status: obj({
      observedGeneration: int,
      replicas: int,
      updatedReplicas: int,
      readyReplicas: int,
      availableReplicas: int,
      unavailableReplicas: int,
      terminatingReplicas: int,
      conditions,
      collisionCount: int,
    }),
  }),
)

registerSchema(
  'ReplicaSet',
  kindSchema({
    spec: obj({ replicas: int, minReadySeconds: int, selector: labelSelector, template: podTemplateSpec }),
    status: obj({
      replicas: int,
      fullyLabeledReplicas: int,
      readyReplicas: int,
      availableReplicas: int,
      terminatingReplicas: int,
      observedGeneration: int,
      conditions,
    }),
  }),
)

registerSchema(
  'DaemonSet',
  kindSchema({
    spec: obj({
      selector: labelSelector,
      template: podTemplateSpec,
      // upstream: `UpdateStrategy DaemonSetUpdateStrategy patchStrategy:"retainKeys"`
      updateStrategy: obj({ type: str, rollingUpdate }, { retainKeys: true }),
      minReadySeconds: int,
      revisionHistoryLimit: int,
    }),
    status: obj({
      currentNumberScheduled: int,
      numberMisscheduled: int,
      desiredNumberScheduled: int,
      numberReady: int,
      observedGeneration: int,
      updatedNumberScheduled: int,
      numberAvailable: int,
      numberUnavailable: int,
      collisionCount: int,
      conditions,
    }),
  }),
)

registerSchema('Scale', kindSchema({ spec: obj({ replicas: int }), status: obj({ replicas: int, selector: str }) }))
