# shellcheck shell=bash
# Shared by provision-master.sh and provision-node.sh (sourced, never run on its own).
#
# Everything lab-specific comes from kplab itself (`kplab lab units|routes|info`), so these scripts
# hold no copy of the lab's flags or addressing. With KPLAB_DRY_RUN=1 every command that changes
# the machine is printed (`+ cmd …`) instead of run, and the machine is taken to be a fresh VM;
# read-only questions (kplab, `ip -o addr show`) still run. The golden test relies on that.

KPLAB_ROOT=${KPLAB_ROOT:-/opt/kplab}                   # the project on the VM (rsynced by Vagrant)
KPLAB_STATE_DIR=${KPLAB_STATE_DIR:-/var/lib/kplab}     # data, logs, kubeconfig of this machine
KPLAB_UNIT_DIR=${KPLAB_UNIT_DIR:-/etc/systemd/system}
KPLAB_PROXY_MODE=${KPLAB_PROXY_MODE:-iptables}
KPLAB_LB_ALGORITHM=${KPLAB_LB_ALGORITHM:-round-robin}
KPLAB_DRY_RUN=${KPLAB_DRY_RUN:-0}
# The checkout this script lives in runs kplab (on the VM it is KPLAB_ROOT itself).
KPLAB_SRC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KPLAB_SETTINGS=${KPLAB_SETTINGS:-$KPLAB_SRC_ROOT/lab/settings.yaml}
NODE_MAJOR=20

dry() { [ "$KPLAB_DRY_RUN" = 1 ]; }

log() { printf '==> %s\n' "$*"; }

die() {
  printf 'kplab provisioning: error: %s\n' "$*" >&2
  exit 1
}

# run CMD ARGS…: runs a command that changes the machine, or prints it in dry-run mode.
run() {
  if dry; then
    printf '+'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# write_file PATH MODE: writes stdin to PATH (printed in dry-run mode).
write_file() {
  local path=$1 mode=$2 content
  content=$(cat)
  if dry; then
    printf '+ write %s (mode %s):\n%s\n' "$path" "$mode" "$content"
  else
    mkdir -p "$(dirname "$path")"
    printf '%s\n' "$content" >"$path"
    chmod "$mode" "$path"
  fi
}

# kplab ARGS…: the project's CLI (KPLAB_CLI overrides it, e.g. to run from source in tests).
kplab() {
  if [ -n "${KPLAB_CLI:-}" ]; then
    "$KPLAB_CLI" "$@"
  else
    node "$KPLAB_SRC_ROOT/bin/kplab.js" "$@"
  fi
}

# iface_for_address IP: the interface that carries IP. By address, never by name: the private
# network is eth1 on libvirt and enp0s8 on VirtualBox.
iface_for_address() {
  ip -o -4 addr show | awk -v want="$1" '{ split($4, a, "/"); if (a[1] == want) { print $2; exit } }'
}

# parse_args MACHINE ADDRESS: the Vagrantfile passes both (as arguments and in the environment).
parse_args() {
  KPLAB_MACHINE=${1:-${KPLAB_MACHINE:-}}
  KPLAB_ADDRESS=${2:-${KPLAB_ADDRESS:-}}
  [ -n "$KPLAB_MACHINE" ] || die "no machine name: call $0 MACHINE ADDRESS (e.g. $0 node1 192.168.56.11)"
  [ -n "$KPLAB_ADDRESS" ] || die "no address for $KPLAB_MACHINE: call $0 $KPLAB_MACHINE ADDRESS"
  export KPLAB_MACHINE KPLAB_ADDRESS
  # The flags every `kplab lab …` call of this machine shares.
  LAB_FLAGS=(--settings "$KPLAB_SETTINGS" --machine "$KPLAB_MACHINE")
  UNIT_FLAGS=("${LAB_FLAGS[@]}" --state-dir "$KPLAB_STATE_DIR" --proxy-mode "$KPLAB_PROXY_MODE"
    --lb-algorithm "$KPLAB_LB_ALGORITHM" --kplab "/usr/bin/node $KPLAB_ROOT/bin/kplab.js")
}

install_packages() {
  log "packages: iptables, iproute2, openssl (the API server's certificates), curl"
  run env DEBIAN_FRONTEND=noninteractive apt-get update -q
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    iptables iproute2 openssl curl ca-certificates
}

# The installed node's major version (0 when absent; always 0 in dry-run: a fresh VM).
node_major() {
  if dry || ! command -v node >/dev/null 2>&1; then
    echo 0
  else
    node -p 'process.versions.node.split(".")[0]'
  fi
}

# The major version of Debian's nodejs package candidate (0 when none; always 0 in dry-run).
debian_nodejs_major() {
  if dry; then
    echo 0
    return
  fi
  apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ { v = $2; sub(/^[0-9]+:/, "", v); split(v, p, "."); print (p[1] ~ /^[0-9]+$/ ? p[1] : 0); exit }'
}

install_node() {
  if [ "$(node_major)" -ge "$NODE_MAJOR" ]; then
    log "node $(node --version) is already installed"
    return
  fi
  if [ "$(debian_nodejs_major)" -ge "$NODE_MAJOR" ]; then
    log "node: Debian's nodejs is $NODE_MAJOR or newer"
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
    return
  fi
  log "node $NODE_MAJOR from NodeSource (Debian's nodejs is older)"
  run mkdir -p /etc/apt/keyrings
  run curl -fsSL -o /etc/apt/keyrings/nodesource.asc https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key
  write_file /etc/apt/sources.list.d/nodesource.list 0644 <<EOF
deb [signed-by=/etc/apt/keyrings/nodesource.asc] https://deb.nodesource.com/node_$NODE_MAJOR.x nodistro main
EOF
  run env DEBIAN_FRONTEND=noninteractive apt-get update -q
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs
}

build_project() {
  log "kplab: npm ci and build in $KPLAB_ROOT"
  dry || [ -f "$KPLAB_ROOT/package-lock.json" ] || die "$KPLAB_ROOT/package-lock.json is missing: the rsync of the project failed; run \`vagrant rsync\` and provision again"
  run npm --prefix "$KPLAB_ROOT" ci --no-audit --no-fund
  run npm --prefix "$KPLAB_ROOT" run build
}

# load_machine ROLE: one `kplab lab info` call for every fact the scripts need (LAB_*), then checks
# the role and the address the Vagrantfile gave against lab/settings.yaml and finds its interface.
load_machine() {
  local -a info
  mapfile -t info < <(kplab lab info "${LAB_FLAGS[@]}" --state-dir "$KPLAB_STATE_DIR" \
    --field address,role,pod-cidr,kubeconfig,admin-kubeconfig,api-server,netns)
  [ "${#info[@]}" -eq 7 ] || die "kplab lab info failed for $KPLAB_MACHINE (see its error above)"
  LAB_ADDRESS=${info[0]} LAB_ROLE=${info[1]}
  # Read by provision-master.sh and provision-node.sh.
  export LAB_POD_CIDR=${info[2]} LAB_KUBECONFIG=${info[3]} LAB_ADMIN_KUBECONFIG=${info[4]} LAB_API_SERVER=${info[5]}
  VM_NETNS=${info[6]:-}
  [ "$LAB_ROLE" = "$1" ] || die "$KPLAB_MACHINE is a $LAB_ROLE in $KPLAB_SETTINGS, not a $1: use provision-$LAB_ROLE.sh"
  [ "$LAB_ADDRESS" = "$KPLAB_ADDRESS" ] ||
    die "the Vagrantfile gave $KPLAB_MACHINE the address $KPLAB_ADDRESS but $KPLAB_SETTINGS says $LAB_ADDRESS: fix the Vagrantfile's addressing or the settings"
  NODE_IFACE=$(iface_for_address "$KPLAB_ADDRESS")
  [ -n "$NODE_IFACE" ] ||
    die "no interface carries $KPLAB_ADDRESS (ip -o addr show): check the private network of $KPLAB_MACHINE in the Vagrantfile (vagrant reload $KPLAB_MACHINE)"
  log "$KPLAB_MACHINE is $KPLAB_ADDRESS on $NODE_IFACE"
}

enable_forwarding() {
  log "sysctl: forward packets (pod routes, NodePorts)"
  write_file /etc/sysctl.d/90-kplab.conf 0644 <<EOF
net.ipv4.ip_forward = 1
EOF
  run sysctl -q -p /etc/sysctl.d/90-kplab.conf
}

# Every other node's pod CIDR via that node's address, from `kplab lab routes`; applied now and
# kept in a oneshot unit so they come back after a reboot.
pod_routes() {
  local routes cidr via exec_lines=''
  routes=$(kplab lab routes "${LAB_FLAGS[@]}")
  log "pod routes of $KPLAB_MACHINE: $(printf '%s' "$routes" | awk '{ printf "%s%s via %s", (NR > 1 ? ", " : ""), $1, $2 }')"
  while read -r cidr via; do
    [ -n "$cidr" ] || continue
    run ip route replace "$cidr" via "$via" dev "$NODE_IFACE"
    exec_lines+="ExecStart=ip route replace $cidr via $via dev $NODE_IFACE"$'\n'
  done <<<"$routes"
  # The VM's own network namespace gets the name the components are given (--netns kplab-node,
  # from kplab lab units): the kubelet's pod bridge and the proxy's rules live there. VMs only.
  local attach_line=''
  if [ -n "$VM_NETNS" ]; then
    if dry || ! ip netns list 2>/dev/null | grep -qw "$VM_NETNS"; then run ip netns attach "$VM_NETNS" 1; fi
    attach_line="ExecStart=/bin/sh -c 'ip netns list | grep -qw $VM_NETNS || ip netns attach $VM_NETNS 1'"
  fi
  write_file "$KPLAB_UNIT_DIR/kplab-pod-routes.service" 0644 <<EOF
# Pod routes of $KPLAB_MACHINE, from \`kplab lab routes\` (scripts/vagrant/lib.sh).
[Unit]
Description=kplab pod routes ($KPLAB_MACHINE)
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
${attach_line}
${exec_lines}
[Install]
WantedBy=multi-user.target
EOF
}

# write_units: writes the components' systemd units with the netns lab's flags (shown in full in
# dry-run) and sets UNITS to their names in start order.
write_units() {
  local out
  log "systemd units of $KPLAB_MACHINE (kplab lab units)"
  run mkdir -p "$KPLAB_STATE_DIR"
  if dry; then
    run kplab lab units "${UNIT_FLAGS[@]}" --out "$KPLAB_UNIT_DIR"
    out=$(kplab lab units "${UNIT_FLAGS[@]}" --out "$KPLAB_UNIT_DIR" --dry-run)
    printf '%s\n' "$out"
    # Each unit is printed under a "# DIR/NAME" line.
    mapfile -t UNITS < <(printf '%s\n' "$out" | sed -n "s|^# $KPLAB_UNIT_DIR/\(kplab-[^/]*\.service\)\$|\1|p")
  else
    out=$(kplab lab units "${UNIT_FLAGS[@]}" --out "$KPLAB_UNIT_DIR")
    mapfile -t UNITS <<<"$out"
  fi
  [ "${#UNITS[@]}" -gt 0 ] || die "kplab lab units wrote no units for $KPLAB_MACHINE"
  run systemctl daemon-reload
}

# start_units UNIT…: enables and (re)starts units, so re-provisioning picks up new flags.
start_units() {
  [ "$#" -gt 0 ] || return 0
  run systemctl enable "$@"
  run systemctl restart "$@"
}

# wait_for_file PATH SECONDS: polls until PATH is non-empty (a provisioning script, not a test).
wait_for_file() {
  local path=$1 secs=$2 i
  if dry; then
    printf '+ wait up to %ss for %s\n' "$secs" "$path"
    return
  fi
  for ((i = 0; i < secs; i++)); do
    [ -s "$path" ] && return 0
    sleep 1
  done
  die "$path did not appear within ${secs}s: see journalctl -u kplab-apiserver"
}
