// Importing this module registers the schema of every kind kplab serves (plus Scale).
import './pod.js'
import './service.js'
import './cluster.js'
import './apps.js'

/** The kinds registered by importing this module. */
export const SCHEMA_KINDS: readonly string[] = ['Namespace', 'Pod', 'Service', 'Endpoints', 'Node', 'Event', 'Deployment', 'ReplicaSet', 'DaemonSet', 'EndpointSlice', 'Lease', 'Scale']
