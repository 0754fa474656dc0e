import { AGE_COLUMN, NAME_COLUMN, col, type Printer } from './types.js'
import { formatLabelSelector, formatLabels, layoutContainerCells, num, obj, str, translateTimestampSince } from './format.js'

// upstream: pkg/printers/internalversion/printers.go (printDeployment, printReplicaSet, printDaemonSet)

const containersColumn = col('Containers', 'string', 'Names of each container in the template.', { priority: 1 })
const imagesColumn = col('Images', 'string', 'Images referenced by each container in the template.', { priority: 1 })
const selectorColumn = col('Selector', 'string', 'Label selector for pods.', { priority: 1 })

function wide(o: Record<string, unknown>): string[] {
  const spec = obj(o.spec)
  const [containers, images] = layoutContainerCells(obj(obj(spec.template).spec).containers)
  return [containers, images, formatLabelSelector(spec.selector)]
}

/** Deployments: Name, Ready, Up-to-date, Available, Age, Containers, Images, Selector. */
export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row(d, now) {
    const spec = obj(d.spec)
    const status = obj(d.status)
    // Go's zero value: a Deployment without spec.replicas prints as 0 desired (defaulting sets 1)
    return {
      cells: [
        str(obj(d.metadata).name),
        `${num(status.readyReplicas)}/${num(spec.replicas)}`,
        num(status.updatedReplicas),
        num(status.availableReplicas),
        translateTimestampSince(obj(d.metadata).creationTimestamp, now),
        ...wide(d),
      ],
    }
  },
}

/** ReplicaSets: Name, Desired, Current, Ready, Age, Containers, Images, Selector. */
export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Desired', 'integer', 'Replicas is the number of desired pods.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    AGE_COLUMN,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row(rs, now) {
    const status = obj(rs.status)
    return {
      cells: [
        str(obj(rs.metadata).name),
        num(obj(rs.spec).replicas),
        num(status.replicas),
        num(status.readyReplicas),
        translateTimestampSince(obj(rs.metadata).creationTimestamp, now),
        ...wide(rs),
      ],
    }
  },
}

/** DaemonSets: Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age, Containers, Images, Selector. */
export const daemonSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
    col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE_COLUMN,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row(ds, now) {
    const status = obj(ds.status)
    return {
      cells: [
        str(obj(ds.metadata).name),
        num(status.desiredNumberScheduled),
        num(status.currentNumberScheduled),
        num(status.numberReady),
        num(status.updatedNumberScheduled),
        num(status.numberAvailable),
        formatLabels(obj(obj(obj(ds.spec).template).spec).nodeSelector),
        translateTimestampSince(obj(ds.metadata).creationTimestamp, now),
        ...wide(ds),
      ],
    }
  },
}
