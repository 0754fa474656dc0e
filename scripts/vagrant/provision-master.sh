#!/usr/bin/env bash
# Provisions the master VM: Node 20 and the project, the API server, controller manager and
# scheduler as systemd units with the netns lab's flags, pod routes to every node, and the admin
# kubeconfig in $KPLAB_STATE_DIR/kubeconfig (the Vagrantfile's trigger copies it to the host).
#
#   provision-master.sh master 192.168.56.10        # as the Vagrantfile calls it (root)
#   KPLAB_DRY_RUN=1 provision-master.sh master 192.168.56.10   # print what it would do
set -euo pipefail
# shellcheck source=scripts/vagrant/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_args "$@"
log "provisioning $KPLAB_MACHINE ($KPLAB_ADDRESS) from $KPLAB_SETTINGS$(dry && printf ' (dry run)')"
install_packages
install_node
build_project
load_machine master
enable_forwarding
pod_routes
write_units

# The API server first: it writes the admin kubeconfig the other components read.
log "start kplab-apiserver.service; it writes $LAB_ADMIN_KUBECONFIG"
start_units kplab-pod-routes.service kplab-apiserver.service
wait_for_file "$LAB_ADMIN_KUBECONFIG" 120
run install -m 0600 "$LAB_ADMIN_KUBECONFIG" "$LAB_KUBECONFIG"
rest=()
for u in "${UNITS[@]}"; do
  [ "$u" = kplab-apiserver.service ] || rest+=("$u")
done
log "start ${rest[*]}"
start_units "${rest[@]}"
log "master ready: API server $LAB_API_SERVER, kubeconfig $LAB_KUBECONFIG"
