#!/usr/bin/env bash
# `npm run test:vagrant`: a real `vagrant up` of the multi-VM lab with libvirt, opt-in (not part of
# `npm test`): waits until every node is Ready through the host's kubeconfig, then destroys the VMs
# (KPLAB_KEEP=1 keeps them). Skips (exit 0) where libvirt is not available, unless
# KPLAB_REQUIRE_VAGRANT=1, which turns a skip into a failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

kubeconfig=.kplab/vagrant/kubeconfig
timeout_s=${KPLAB_READY_TIMEOUT:-600}

skip() {
  if [ "${KPLAB_REQUIRE_VAGRANT:-0}" = 1 ]; then
    echo "test:vagrant: FAIL: $*" >&2
    exit 1
  fi
  echo "test:vagrant: SKIP: $*"
  exit 0
}

command -v vagrant >/dev/null 2>&1 || skip "vagrant is not installed (apt-get install vagrant)"
vagrant plugin list 2>/dev/null | grep -q '^vagrant-libvirt' ||
  skip "the vagrant-libvirt plugin is not installed (apt-get install vagrant-libvirt, or vagrant plugin install vagrant-libvirt)"
{ command -v virsh >/dev/null 2>&1 && virsh -c qemu:///system version >/dev/null 2>&1; } ||
  skip "libvirt is not reachable (qemu:///system): install libvirt-daemon-system and join the libvirt group"
[ -e /dev/kvm ] || skip "/dev/kvm is missing: VMs would be too slow without hardware virtualisation"

cleanup() {
  if [ "${KPLAB_KEEP:-0}" = 1 ]; then
    echo "test:vagrant: VMs kept (KPLAB_KEEP=1); vagrant destroy -f removes them"
  else
    vagrant destroy -f || true
  fi
}
trap cleanup EXIT

# The host needs kplab built for `kplab get` (kubectl is used instead when present).
kubectl_cmd() {
  if command -v kubectl >/dev/null 2>&1; then
    kubectl --kubeconfig "$kubeconfig" "$@"
  else
    node bin/kplab.js "$@" --kubeconfig "$kubeconfig"
  fi
}
command -v kubectl >/dev/null 2>&1 || [ -f dist/cli/main.js ] || npm run build

start=$SECONDS
vagrant up --provider libvirt --no-parallel
[ -s "$kubeconfig" ] || { echo "test:vagrant: FAIL: the master's trigger did not write $kubeconfig" >&2; exit 1; }

# The master has a pod route per node: that count is the nodes to wait for.
want=$(node --import tsx test/support/cli-entry.ts lab routes --settings lab/settings.yaml --machine master | wc -l)
echo "test:vagrant: waiting up to ${timeout_s}s for $want Ready nodes"
while :; do
  ready=$(kubectl_cmd get nodes --no-headers 2>/dev/null | awk '$2 == "Ready"' | wc -l || true)
  [ "$ready" -ge "$want" ] && break
  if [ $((SECONDS - start)) -ge "$timeout_s" ]; then
    kubectl_cmd get nodes || true
    echo "test:vagrant: FAIL: $ready of $want nodes Ready after ${timeout_s}s" >&2
    exit 1
  fi
  sleep 5
done
kubectl_cmd get nodes
echo "test:vagrant: PASS: $want nodes Ready $((SECONDS - start))s after vagrant up started"
