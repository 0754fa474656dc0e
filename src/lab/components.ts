// The one source of component flags: which `kplab <component>` runs on which machine of the lab and
// with which arguments. The netns lab starts these through the supervisor; the Vagrant provisioning
// writes them into systemd units. Pure: no I/O, golden-tested.
import { join } from 'node:path'
import type { LabMachine, LabSettings } from './settings.js'

/** One component of a machine: the kplab CLI args and the log line that says it is up. */
export interface ComponentSpec {
  /** 'apiserver' | 'controller-manager' | 'scheduler' | 'kubelet' | 'proxy' | 'proxy-userspace'. */
  name: string
  /** 'master', 'node1', … */
  machine: string
  /** kplab CLI args after `kplab`, e.g. ['proxy', '--mode', 'iptables', …]. */
  args: string[]
  /** Regexp source of the stdout line that says the component is up. */
  ready: string
}

/** What labComponents needs to know about the lab. */
export interface ComponentContext {
  settings: LabSettings
  /** Where data/, logs and the kubeconfig live on that machine. */
  stateDir: string
  /** Path of the kubeconfig the components read. */
  kubeconfig: string
  proxyMode: 'iptables' | 'userspace'
  lbAlgorithm: string
  /** netns mode: the full namespace name of a machine; absent on VMs. */
  netns?: (machine: string) => string
}

/** Value of `service.kubernetes.io/service-proxy-name` served by the second (userspace) proxy in iptables mode. */
export const USERSPACE_PROXY_NAME = 'kplab-userspace'

/** Port of the main proxy's metrics server (/metrics, /stats, /ports) on each node address, as kube-proxy's 10249. */
export const PROXY_METRICS_PORT = 10249

/** Port of the userspace side-proxy's metrics server in iptables mode (10250 is the kubelet's). */
export const USERSPACE_PROXY_METRICS_PORT = 10251

/**
 * On a VM the machine's own network namespace is given this name (`ip netns attach kplab-node 1`,
 * done by the provisioning), so the kubelet puts pods on a bridge there and the proxy writes its
 * rules there exactly as in the netns lab. Only ever done inside a VM, never on the lab host.
 */
export const VM_NETNS = 'kplab-node'

/** Port of the kubelet endpoint (logs), as upstream. */
export const KUBELET_PORT = 10250

/** Where the API server keeps its data on the master, and the admin kubeconfig it writes there. */
export function apiServerDataDir(stateDir: string): string {
  return join(stateDir, 'apiserver')
}

/** The components of one machine, in start order. */
export function labComponents(ctx: ComponentContext, machine: LabMachine): ComponentSpec[] {
  const s = ctx.settings
  const kc = ['--kubeconfig', ctx.kubeconfig]
  const on = (name: string, args: string[], ready: string): ComponentSpec => ({ name, machine: machine.name, args, ready })
  if (machine.role === 'master') {
    return [
      on(
        'apiserver',
        [
          'apiserver',
          '--data-dir', apiServerDataDir(ctx.stateDir),
          '--bind-address', machine.address,
          '--secure-port', String(s.apiServerPort),
          '--advertise-address', machine.address,
          '--service-cluster-ip-range', s.serviceClusterIPRange,
          '--service-node-port-range', s.serviceNodePortRange,
        ],
        'listening on (https://\\S+) \\(kubeconfig: (.+)\\)',
      ),
      // One controller manager and one scheduler per lab: leader election would only add a Lease round trip.
      on('controller-manager', ['controller-manager', ...kc, '--cluster-cidr', s.podCIDR, '--leader-elect', 'false'], 'controller-manager running'),
      on('scheduler', ['scheduler', ...kc, '--leader-elect', 'false'], 'scheduler running'),
    ]
  }
  if (machine.podCIDR === undefined) throw new TypeError(`machine ${machine.name} is a node without a podCIDR; build machines with labMachines()`)
  const ns = ctx.netns?.(machine.name)
  // With a namespace per node (a netns lab node, or a VM's own namespace under VM_NETNS) the kubelet
  // puts each pod in its own namespace on the node's bridge; without one, pods get loopback addresses.
  const podNetwork = ns !== undefined ? ['--pod-network', 'netns', '--netns', ns] : ['--pod-network', 'loopback']
  const proxyNetns = ns !== undefined ? ['--netns', ns] : []
  const specs = [
    on(
      'kubelet',
      [
        'kubelet', ...kc,
        '--hostname-override', machine.name,
        '--node-ip', machine.address,
        '--pod-cidr', machine.podCIDR,
        '--root-dir', join(ctx.stateDir, machine.name),
        '--port', String(KUBELET_PORT),
        ...podNetwork,
        // Ready within seconds of start, so `kplab up` returns soon.
        '--node-status-update-frequency', '2s',
      ],
      'serving on',
    ),
    on(
      'proxy',
      [
        'proxy', '--mode', ctx.proxyMode, ...kc,
        '--hostname-override', machine.name,
        '--metrics-bind-address', `${machine.address}:${PROXY_METRICS_PORT}`,
        '--lb-algorithm', ctx.lbAlgorithm,
        // Traffic from outside the pod network (the client machine) to a ClusterIP is masqueraded,
        // so replies from a pod on another node come back through this node's conntrack.
        ...(ctx.proxyMode === 'iptables' ? ['--cluster-cidr', s.podCIDR] : []),
        ...proxyNetns,
      ],
      'serving metrics on (http://\\S+)',
    ),
  ]
  if (ctx.proxyMode === 'iptables') {
    // The iptables proxy ignores Services labelled service-proxy-name (as kube-proxy does); this one
    // serves exactly those, so per-algorithm Services (kplab.io/lb-algorithm) work beside iptables mode.
    specs.push(
      on(
        'proxy-userspace',
        [
          'proxy', '--mode', 'userspace', ...kc,
          '--hostname-override', machine.name,
          '--metrics-bind-address', `${machine.address}:${USERSPACE_PROXY_METRICS_PORT}`,
          '--lb-algorithm', ctx.lbAlgorithm,
          '--service-proxy-name', USERSPACE_PROXY_NAME,
          ...proxyNetns,
        ],
        'serving metrics on (http://\\S+)',
      ),
    )
  }
  return specs
}
