// Filters out nodes where a hostPort the pod asks for is taken.
// upstream: pkg/scheduler/framework/plugins/nodeports/node_ports.go, framework/types.go (HostPortInfo.CheckConflict)
import type { HostPort, NodeInfo, PodInfo } from '../node-info.js'
import { FITS, type FilterPlugin } from './types.js'

/** upstream ErrReason of NodePorts. */
export const ERR_HOST_PORTS = "node(s) didn't have free ports for the requested pod ports"

/** Same protocol and port, and the same IP or either side on 0.0.0.0. */
export function portsConflict(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0')
}

/** Every requested host port must be free. */
export const hostPorts: FilterPlugin = {
  name: 'NodePorts',
  // upstream PreFilter returns Skip when the pod asks for no host port.
  skip: (pod) => pod.hostPorts.length === 0,
  filter(pod: PodInfo, ni: NodeInfo): readonly string[] {
    for (const want of pod.hostPorts) if (ni.usedPorts.some((u) => portsConflict(want, u))) return [ERR_HOST_PORTS]
    return FITS
  },
}
