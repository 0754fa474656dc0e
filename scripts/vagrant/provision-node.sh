#!/usr/bin/env bash
# Provisions a worker VM: Node 20 and the project, the master's kubeconfig (copied to the host by
# the master's trigger and rsynced here), the kubelet and proxies as systemd units with the netns
# lab's flags, and pod routes to the other nodes.
#
#   provision-node.sh node1 192.168.56.11        # as the Vagrantfile calls it (root)
#   KPLAB_DRY_RUN=1 provision-node.sh node1 192.168.56.11   # print what it would do
set -euo pipefail
# shellcheck source=scripts/vagrant/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_args "$@"
log "provisioning $KPLAB_MACHINE ($KPLAB_ADDRESS) from $KPLAB_SETTINGS$(dry && printf ' (dry run)')"
install_packages
install_node
build_project
load_machine node
enable_forwarding
pod_routes

# The host's copy: written by the master's `after up` trigger, here through the rsync of the project.
host_kubeconfig=$KPLAB_ROOT/.kplab/vagrant/kubeconfig
dry || [ -s "$host_kubeconfig" ] ||
  die "$host_kubeconfig is missing: bring the master up first (vagrant up master), then vagrant up $KPLAB_MACHINE"
run install -D -m 0600 "$host_kubeconfig" "$LAB_KUBECONFIG"

write_units
log "start ${UNITS[*]}"
start_units kplab-pod-routes.service "${UNITS[@]}"
log "$KPLAB_MACHINE ready: pod CIDR $LAB_POD_CIDR, API server $LAB_API_SERVER"
