// The lab settings the lab tests share: the design's addressing with two nodes, without the
// optional keys (apiServerPort, vagrant), so their defaults are exercised too.
export const LAB_SETTINGS_YAML = `cluster:
  nodeNetwork: 192.168.56.0/24
  masterAddress: 192.168.56.10
  firstWorkerAddress: 192.168.56.11
  podCIDR: 10.244.0.0/16
  serviceClusterIPRange: 10.96.0.0/12
  kubernetesServiceIP: 10.96.0.1
  serviceNodePortRange: 30000-32767
  clusterDNS: 10.96.0.10
nodes: 2
`
