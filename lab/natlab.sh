#!/usr/bin/env bash
# natlab.sh: a NAT lab in Linux network namespaces (needs root, iproute2, nftables, conntrack, coturn).
#
#   natlab.sh up <prefix>                                  build the lab, start coturn
#   natlab.sh down <prefix>                                stop its processes, delete its namespaces
#   natlab.sh mode <prefix> <a|b> <mode> [hairpin on|off]  set a router's behaviour (flushes conntrack)
#   natlab.sh exec <prefix> <host> cmd...                  run a command in a namespace
#   natlab.sh flush <prefix> <a|b>                         forget a router's connection-tracking state
#   natlab.sh loss <prefix> <a|b> <percent>                drop that share of forwarded packets (0: none)
#   natlab.sh family <prefix> <host> v4|v6|dual            which IP versions a host (a1, a2, b1) has
#   natlab.sh addr <prefix> <name>                         print a lab address (see ADDRESSES below)
#
# Modes: full-cone, address-restricted, port-restricted, symmetric-random, symmetric-sequential,
# udp-blocked. Hosts: inet, pub, ra, rb, a1, a2, b1. See docs/nat-lab.md for the picture.
#
# Everything this script creates carries <prefix> in its name and is listed in a state directory
# (${NATLAB_STATE_DIR:-/tmp}/natlab-<prefix>); `down` deletes exactly what that list names, so
# it never touches a namespace it did not create. Interfaces are created inside the lab's
# namespaces, never in the namespace the script runs in. The internet namespace has no link to
# the outside: no datagram can leave the lab.
set -euo pipefail

# ADDRESSES (documentation ranges on the simulated internet, RFC 1918 and ULA behind the routers)
declare -A ADDR=(
  [inet4]=198.51.100.1 [inetwan4]=203.0.113.1 [inet6]=fd00:100::1
  [pub4]=198.51.100.10 [pub4alt]=198.51.100.11 [pub6]=fd00:100::10 [pub6alt]=fd00:100::11
  [ra4]=203.0.113.10 [ra6]=fd00:100::a [ralan4]=10.0.1.1 [ralan6]=fd00:a::1
  [rb4]=203.0.113.20 [rb6]=fd00:100::b [rblan4]=10.0.2.1 [rblan6]=fd00:b::1
  [a14]=10.0.1.11 [a16]=fd00:a::11 [a24]=10.0.1.12 [a26]=fd00:a::12
  [b14]=10.0.2.11 [b16]=fd00:b::11
)
STUN_PORT=3478
STUN_ALT_PORT=3479
NODES=(inet pub ra rb a1 a2 b1)
MODES=(full-cone address-restricted port-restricted symmetric-random symmetric-sequential udp-blocked)
# how long a router remembers a learned mapping without traffic (a typical home router's UDP timeout)
MAPPING_TIMEOUT=180s
# sequential symmetric NAT: ports handed out one after another from this range
SEQ_BASE=40000
SEQ_COUNT=256

die() { echo "natlab: $*" >&2; exit 1; }
log() { echo "natlab: $*" >&2; }

check_prefix() {
  [[ "${1:-}" =~ ^[a-z][a-z0-9]{1,9}$ ]] || die "prefix must be 2-10 lowercase letters or digits starting with a letter, got '${1:-}'"
}

state_dir() { echo "${NATLAB_STATE_DIR:-/tmp}/natlab-$1"; }
ns() { echo "$1-$2"; }

# runs a command in one of the lab's namespaces
in_ns() { local p=$1 n=$2; shift 2; ip netns exec "$(ns "$p" "$n")" "$@"; }

need_tools() {
  [ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
  local t
  for t in ip nft conntrack turnserver ss; do
    command -v "$t" >/dev/null 2>&1 || die "missing '$t' (apt-get install iproute2 nftables conntrack coturn)"
  done
}

sysctl_ns() { # prefix node key value: sets a sysctl inside a namespace if it exists there
  local p=$1 n=$2 key=$3 value=$4
  local path="/proc/sys/${key//.//}"
  in_ns "$p" "$n" sh -c "[ ! -e '$path' ] || echo '$value' > '$path'"
}

veth() { # prefix nodeA ifA nodeB ifB: one veth pair, created inside nodeA and moved to nodeB
  local p=$1
  ip -n "$(ns "$p" "$2")" link add "$3" type veth peer name "$5" netns "$(ns "$p" "$4")"
  ip -n "$(ns "$p" "$2")" link set "$3" up
  ip -n "$(ns "$p" "$4")" link set "$5" up
}

bridge() { # prefix node name: a bridge that does not send bridged frames through the firewall
  local p=$1 n=$2 br=$3
  ip -n "$(ns "$p" "$n")" link add "$br" type bridge
  ip -n "$(ns "$p" "$n")" link set "$br" up
  sysctl_ns "$p" "$n" net.bridge.bridge-nf-call-iptables 0
  sysctl_ns "$p" "$n" net.bridge.bridge-nf-call-ip6tables 0
}

addr() { ip -n "$(ns "$1" "$2")" addr add "$4" dev "$3" nodad 2>/dev/null || ip -n "$(ns "$1" "$2")" addr add "$4" dev "$3"; }
addr4() { ip -n "$(ns "$1" "$2")" addr add "$4" dev "$3"; }

cmd_up() {
  local p=$1 dir n
  need_tools
  dir=$(state_dir "$p")
  for n in "${NODES[@]}"; do
    if ip netns list | awk '{print $1}' | grep -qx "$(ns "$p" "$n")"; then
      die "namespace $(ns "$p" "$n") already exists: choose another prefix (this script never reuses one)"
    fi
  done
  [ ! -e "$dir" ] || die "state directory $dir exists: a lab with prefix $p is up or was not taken down"
  mkdir -p "$dir"
  : > "$dir/namespaces"
  # from here on, a failure (or an interrupt) takes down what was built so far
  UP_DONE=0
  trap 'if [ "$UP_DONE" != 1 ]; then log "building the lab failed; taking it down"; cmd_down "'"$p"'" || true; fi' EXIT
  trap 'exit 130' INT TERM
  for n in "${NODES[@]}"; do
    ip netns add "$(ns "$p" "$n")"
    echo "$(ns "$p" "$n")" >> "$dir/namespaces"
    ip -n "$(ns "$p" "$n")" link set lo up
    sysctl_ns "$p" "$n" net.ipv6.conf.all.accept_dad 0
    sysctl_ns "$p" "$n" net.ipv6.conf.default.accept_dad 0
    sysctl_ns "$p" "$n" net.ipv6.conf.all.accept_ra 0
    sysctl_ns "$p" "$n" net.ipv6.conf.default.accept_ra 0
    sysctl_ns "$p" "$n" net.ipv4.conf.all.rp_filter 0
    sysctl_ns "$p" "$n" net.ipv4.conf.default.rp_filter 0
  done

  # the simulated internet: one bridge, routing between the server range and the routers' range
  bridge "$p" inet br0
  addr4 "$p" inet br0 "${ADDR[inet4]}/24"
  addr4 "$p" inet br0 "${ADDR[inetwan4]}/24"
  addr "$p" inet br0 "${ADDR[inet6]}/64"
  sysctl_ns "$p" inet net.ipv4.ip_forward 1
  sysctl_ns "$p" inet net.ipv6.conf.all.forwarding 1
  ip -n "$(ns "$p" inet)" -6 route add fd00:a::/64 via "${ADDR[ra6]}"
  ip -n "$(ns "$p" inet)" -6 route add fd00:b::/64 via "${ADDR[rb6]}"

  # the public host (coturn listens on two addresses)
  veth "$p" inet pub pub eth0
  ip -n "$(ns "$p" inet)" link set pub master br0
  addr4 "$p" pub eth0 "${ADDR[pub4]}/24"
  addr4 "$p" pub eth0 "${ADDR[pub4alt]}/24"
  addr "$p" pub eth0 "${ADDR[pub6]}/64"
  addr "$p" pub eth0 "${ADDR[pub6alt]}/64"
  ip -n "$(ns "$p" pub)" route add default via "${ADDR[inet4]}"
  ip -n "$(ns "$p" pub)" -6 route add default via "${ADDR[inet6]}"

  local r lanv4 lanv6 wan4 wan6 net
  for r in a b; do
    veth "$p" inet "r$r" "r$r" wan0
    ip -n "$(ns "$p" inet)" link set "r$r" master br0
    wan4=${ADDR[r${r}4]}; wan6=${ADDR[r${r}6]}; lanv4=${ADDR[r${r}lan4]}; lanv6=${ADDR[r${r}lan6]}
    addr4 "$p" "r$r" wan0 "$wan4/24"
    addr "$p" "r$r" wan0 "$wan6/64"
    ip -n "$(ns "$p" "r$r")" route add default via "${ADDR[inetwan4]}"
    ip -n "$(ns "$p" "r$r")" -6 route add default via "${ADDR[inet6]}"
    bridge "$p" "r$r" lan0
    addr4 "$p" "r$r" lan0 "$lanv4/24"
    addr "$p" "r$r" lan0 "$lanv6/64"
    sysctl_ns "$p" "r$r" net.ipv4.ip_forward 1
    sysctl_ns "$p" "r$r" net.ipv6.conf.all.forwarding 1
  done
  for n in a1 a2 b1; do
    r=${n:0:1}
    veth "$p" "r$r" "$n" "$n" eth0
    ip -n "$(ns "$p" "r$r")" link set "$n" master lan0
    addr4 "$p" "$n" eth0 "${ADDR[${n}4]}/24"
    addr "$p" "$n" eth0 "${ADDR[${n}6]}/64"
    ip -n "$(ns "$p" "$n")" route add default via "${ADDR[r${r}lan4]}"
    ip -n "$(ns "$p" "$n")" -6 route add default via "${ADDR[r${r}lan6]}"
  done
  apply_mode "$p" a port-restricted off
  apply_mode "$p" b port-restricted off

  start_coturn "$p"
  UP_DONE=1
  log "lab $p is up (routers: port-restricted, hairpin off; STUN at ${ADDR[pub4]}:$STUN_PORT and ${ADDR[pub4alt]}:$STUN_PORT)"
}

start_coturn() {
  local p=$1 dir i
  dir=$(state_dir "$p")
  # STUN only: Binding needs no credentials. Two listening addresses and an alternate port give
  # coturn what RFC 5780's CHANGE-REQUEST needs (other address, other port).
  setsid ip netns exec "$(ns "$p" pub)" turnserver -n --stun-only --no-cli --no-tls --no-dtls \
    --listening-ip="${ADDR[pub4]}" --listening-ip="${ADDR[pub4alt]}" \
    --listening-ip="${ADDR[pub6]}" --listening-ip="${ADDR[pub6alt]}" \
    --listening-port="$STUN_PORT" --alt-listening-port="$STUN_ALT_PORT" \
    --userdb="$dir/turndb" --log-file="$dir/coturn.log" --simple-log --no-stdout-log \
    --pidfile="$dir/coturn.pid" </dev/null >"$dir/coturn.out" 2>&1 &
  echo $! > "$dir/coturn.launch.pid"
  for i in $(seq 1 100); do
    if in_ns "$p" pub ss -Hlun | grep -q "${ADDR[pub4alt]}:$STUN_ALT_PORT"; then
      return 0
    fi
    sleep 0.05
  done
  cat "$dir/coturn.out" "$dir/coturn.log"* >&2 2>/dev/null || true
  die "coturn did not start listening within 5 s"
}

cmd_down() {
  local p=$1 dir name pids pid i
  dir=$(state_dir "$p")
  [ -f "$dir/namespaces" ] || { log "no lab $p to take down"; return 0; }
  # the lab's processes (coturn, test programs) are the processes inside its namespaces
  while read -r name; do
    [[ "$name" == "$p-"* ]] || continue
    pids=$(ip netns pids "$name" 2>/dev/null || true)
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  done < "$dir/namespaces"
  for i in $(seq 1 40); do
    pids=""
    while read -r name; do
      pids+=$(ip netns pids "$name" 2>/dev/null || true)
    done < "$dir/namespaces"
    [ -z "$pids" ] && break
    [ "$i" = 40 ] && for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.05
  done
  while read -r name; do
    [[ "$name" == "$p-"* ]] || continue
    ip netns del "$name" 2>/dev/null || true
  done < "$dir/namespaces"
  rm -rf "$dir"
  log "lab $p is down"
}

known_node() { local n; for n in "${NODES[@]}"; do [ "$n" = "$1" ] && return 0; done; return 1; }

require_up() {
  [ -f "$(state_dir "$1")/namespaces" ] || die "no lab $1 is up (natlab.sh up $1)"
}

# Writes the ruleset of one router. IPv4: NAT with the chosen behaviour. IPv6: no NAT, a stateful
# firewall that passes replies and drops unsolicited inbound.
ruleset() {
  local mode=$1 hairpin=$2 wan=$3
  local seqmap i
  cat <<EOF
table ip natlab
delete table ip natlab
table ip natlab {
  # mapped WAN port -> the internal address and port behind it, learned from outgoing UDP
  map mapping { type inet_service : ipv4_addr . inet_service; flags dynamic,timeout; timeout $MAPPING_TIMEOUT; }
  # (internal address, internal port, remote address) each internal endpoint has sent to
  set contacted { type ipv4_addr . inet_service . ipv4_addr; flags dynamic,timeout; timeout $MAPPING_TIMEOUT; }

  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
EOF
  case $mode in
    full-cone|address-restricted)
      echo "    iifname \"wan0\" ip daddr $wan dnat ip to udp dport map @mapping" ;;
  esac
  [ "$hairpin" = on ] && echo "    iifname \"lan0\" ip daddr $wan dnat ip to udp dport map @mapping"
  cat <<EOF
  }

  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
EOF
  case $mode in
    symmetric-random) echo "    oifname \"wan0\" masquerade fully-random" ;;
    symmetric-sequential)
      seqmap=""
      for ((i = 0; i < SEQ_COUNT; i++)); do seqmap+="${seqmap:+, }$i : $((SEQ_BASE + i))"; done
      echo "    oifname \"wan0\" meta l4proto udp snat ip to $wan : numgen inc mod $SEQ_COUNT map { $seqmap }"
      echo "    oifname \"wan0\" masquerade" ;;
    *) echo "    oifname \"wan0\" masquerade" ;;
  esac
  [ "$hairpin" = on ] && echo "    iifname \"lan0\" oifname \"lan0\" ct status dnat snat ip to $wan"
  cat <<EOF
  }

  # after source NAT: remember which internal endpoint each mapped port belongs to
  chain learn {
    type filter hook postrouting priority srcnat + 10; policy accept;
    oifname "wan0" meta l4proto udp ct direction original update @mapping { udp sport : ct original ip saddr . ct original proto-src }
    oifname "wan0" meta l4proto udp ct direction reply update @mapping { udp sport : ct reply ip saddr . ct reply proto-src }
    oifname "wan0" meta l4proto udp ct direction original update @contacted { ct original ip saddr . ct original proto-src . ip daddr }
    oifname "wan0" meta l4proto udp ct direction reply update @contacted { ct reply ip saddr . ct reply proto-src . ip daddr }
  }

  # Unsolicited inbound is dropped here or in input, before conntrack confirms the new entry: a
  # dropped packet leaves no state that could steal the port of a later outgoing mapping.
  chain forward {
    type filter hook forward priority filter; policy drop;
EOF
  [ "$mode" = udp-blocked ] && echo "    meta l4proto udp drop"
  echo "    ct state established,related accept"
  echo "    iifname \"lan0\" oifname \"wan0\" accept"
  case $mode in
    full-cone) echo "    iifname \"wan0\" meta l4proto udp ct status dnat accept" ;;
    address-restricted)
      echo "    iifname \"wan0\" meta l4proto udp ct status dnat ip daddr . udp dport . ip saddr @contacted accept" ;;
  esac
  [ "$hairpin" = on ] && echo "    iifname \"lan0\" oifname \"lan0\" ct status dnat accept"
  cat <<EOF
  }

  chain input {
    type filter hook input priority filter; policy accept;
    iifname "wan0" ct state established,related accept
    iifname "wan0" icmp type echo-request accept
    iifname "wan0" drop
  }
}
table ip6 natlab6
delete table ip6 natlab6
table ip6 natlab6 {
  chain forward {
    type filter hook forward priority filter; policy drop;
EOF
  [ "$mode" = udp-blocked ] && echo "    meta l4proto udp drop"
  cat <<EOF
    ct state established,related accept
    iifname "lan0" oifname "wan0" accept
    iifname "wan0" icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } accept
  }

  chain input {
    type filter hook input priority filter; policy accept;
    iifname "wan0" ct state established,related accept
    iifname "wan0" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, echo-request, packet-too-big } accept
    iifname "wan0" drop
  }
}
EOF
}

apply_mode() {
  local p=$1 r=$2 mode=$3 hairpin=$4 known=0 m
  for m in "${MODES[@]}"; do [ "$m" = "$mode" ] && known=1; done
  [ $known = 1 ] || die "unknown mode '$mode' (one of: ${MODES[*]})"
  [[ "$hairpin" = on || "$hairpin" = off ]] || die "hairpin must be on or off, got '$hairpin'"
  ruleset "$mode" "$hairpin" "${ADDR[r${r}4]}" | in_ns "$p" "r$r" nft -f -
  echo "$mode $hairpin" > "$(state_dir "$p")/mode-$r"
  in_ns "$p" "r$r" conntrack -F >/dev/null 2>&1 || true
}

router_arg() {
  [[ "${1:-}" = a || "${1:-}" = b ]] || die "router must be a or b, got '${1:-}'"
}

# v4: IPv6 switched off on the host (no addresses, so none in its records); v6: no IPv4 route out;
# dual: both, as after `up`
set_family() {
  local p=$1 n=$2 family=$3 r=${2:0:1}
  [[ "$n" = a1 || "$n" = a2 || "$n" = b1 ]] || die "family applies to a1, a2 and b1, not '$n'"
  case $family in
    v4) sysctl_ns "$p" "$n" net.ipv6.conf.eth0.disable_ipv6 1 ;;
    v6|dual)
      sysctl_ns "$p" "$n" net.ipv6.conf.eth0.disable_ipv6 0
      ip -n "$(ns "$p" "$n")" -6 addr replace "${ADDR[${n}6]}/64" dev eth0 nodad
      ip -n "$(ns "$p" "$n")" -6 route replace default via "${ADDR[r${r}lan6]}" ;;
    *) die "family must be v4, v6 or dual, got '$family'" ;;
  esac
  if [ "$family" = v6 ]; then
    ip -n "$(ns "$p" "$n")" -4 route del default 2>/dev/null || true
  else
    ip -n "$(ns "$p" "$n")" -4 route replace default via "${ADDR[r${r}lan4]}"
  fi
}

cmd="${1:-}"
[ -n "$cmd" ] || die "usage: natlab.sh up|down|mode|exec|flush|loss|addr <prefix> ..."
shift
check_prefix "${1:-}"
prefix=$1
shift
case $cmd in
  up) cmd_up "$prefix" ;;
  down) cmd_down "$prefix" ;;
  mode)
    require_up "$prefix"; router_arg "${1:-}"
    [ $# -ge 2 ] || die "usage: natlab.sh mode <prefix> <a|b> <mode> [hairpin on|off]"
    hp=off
    if [ $# -ge 3 ]; then
      [ "$3" = hairpin ] && [ $# -eq 4 ] || die "usage: natlab.sh mode <prefix> <a|b> <mode> [hairpin on|off]"
      hp=$4
    fi
    apply_mode "$prefix" "$1" "$2" "$hp"
    log "router $1: $2, hairpin $hp" ;;
  exec)
    require_up "$prefix"
    known_node "${1:-}" || die "unknown host '${1:-}' (one of: ${NODES[*]})"
    node=$1; shift
    [ $# -ge 1 ] || die "usage: natlab.sh exec <prefix> <host> cmd..."
    exec ip netns exec "$(ns "$prefix" "$node")" "$@" ;;
  flush)
    require_up "$prefix"; router_arg "${1:-}"
    in_ns "$prefix" "r$1" conntrack -F >/dev/null 2>&1 || true
    log "router $1: connection tracking flushed" ;;
  loss)
    require_up "$prefix"; router_arg "${1:-}"
    [[ "${2:-}" =~ ^[0-9]+$ ]] && [ "$2" -le 100 ] || die "loss needs a whole percentage 0-100, got '${2:-}'"
    if [ "$2" = 0 ]; then
      in_ns "$prefix" "r$1" nft -f - <<EOF
table inet natloss
delete table inet natloss
EOF
    else
      rule="numgen random mod 100 < $2 drop"
      [ "$2" != 100 ] || rule="drop"
      in_ns "$prefix" "r$1" nft -f - <<EOF
table inet natloss
delete table inet natloss
table inet natloss {
  chain forward {
    type filter hook forward priority filter - 10; policy accept;
    $rule
  }
}
EOF
    fi
    log "router $1: ${2}% loss" ;;
  family)
    require_up "$prefix"
    [ $# -eq 2 ] || die "usage: natlab.sh family <prefix> <host> v4|v6|dual"
    set_family "$prefix" "$1" "$2"
    log "host $1: $2" ;;
  addr)
    [ -n "${ADDR[${1:-none}]+x}" ] || die "unknown address name '${1:-}' (one of: ${!ADDR[*]})"
    echo "${ADDR[$1]}" ;;
  *) die "unknown command '$cmd'" ;;
esac
