#!/bin/sh
# Says what this machine offers the lab: root, network namespaces, veth and bridges, and the
# kernel modules (ip_vs, ipip) whose absence the lab works around. Reads only; changes nothing.
# Exit 0 when a lab can run here, 1 when something it needs is missing.
set -u

ok=0
say() { printf '%-34s %s\n' "$1" "$2"; }

if [ "$(id -u)" -eq 0 ]; then
    say "root" "yes"
else
    say "root" "no: lvsctl lab needs root (sudo or pkexec)"
    ok=1
fi

if [ -e /proc/self/ns/net ]; then
    say "network namespaces" "yes"
else
    say "network namespaces" "no: the kernel lacks CONFIG_NET_NS"
    ok=1
fi

# A module is usable when it is loaded, built in, or can be loaded.
module() {
    name=$1
    if [ -d "/sys/module/$name" ]; then
        echo "loaded"
    elif grep -qs "/$name.ko" "/lib/modules/$(uname -r)/modules.builtin"; then
        echo "built in"
    elif modinfo "$name" >/dev/null 2>&1; then
        echo "available"
    else
        echo "absent"
    fi
}

# veth and bridges are probed for real, inside a throwaway network namespace that vanishes with
# the probe, so nothing is left in the machine's own namespace.
probe() {
    unshare --net sh -c "ip link add lvsprobe0 type $1 $2" >/dev/null 2>&1
}
if ! command -v unshare >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1; then
    say "veth, bridge" "unknown: needs unshare (util-linux) and ip (iproute2) to probe"
else
    for kind in veth bridge; do
        extra=""
        [ "$kind" = veth ] && extra="peer name lvsprobe1"
        if probe "$kind" "$extra"; then
            say "$kind" "yes"
        else
            say "$kind" "no: cannot create a $kind device (needs root and the $kind driver)"
            ok=1
        fi
    done
fi

state=$(module ip_vs)
case "$state" in
    absent) say "ip_vs (kernel IPVS)" "absent: the lab uses its userspace director" ;;
    *) say "ip_vs (kernel IPVS)" "$state: the lab still uses its userspace director" ;;
esac
state=$(module ipip)
case "$state" in
    absent) say "ipip (TUN decapsulation)" "absent: TUN real servers use the rs agent" ;;
    *) say "ipip (TUN decapsulation)" "$state" ;;
esac

if command -v keepalived >/dev/null 2>&1; then
    say "keepalived" "$(keepalived --version 2>&1 | head -n 1)"
else
    say "keepalived" "not installed: VRRP failover and --config-test are unavailable (apt-get install keepalived)"
fi

exit "$ok"
