#!/bin/sh
# netns test: the prerequisite check finds what a lab needs on this machine (root, namespaces,
# veth, bridges). Skips, saying so, when not root.
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: needs root (the probe creates veth and bridge devices in a throwaway namespace)"
    exit 77
fi
out=$(sh "$1/netns-scripts/check-prereqs.sh") || { echo "$out"; echo "FAIL: check-prereqs exited non-zero"; exit 1; }
echo "$out"
for line in "root  *yes" "veth  *yes" "bridge  *yes"; do
    echo "$out" | grep -q "^$line" || { echo "FAIL: expected a line matching '$line'"; exit 1; }
done
# The probe leaves nothing behind in the machine's own namespace.
if ip -o link show 2>/dev/null | grep -q lvsprobe; then
    echo "FAIL: the probe left an interface behind"
    exit 1
fi
echo PASS
