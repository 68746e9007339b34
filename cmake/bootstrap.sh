#!/bin/sh
# LVS Lab's one-step set-up: installs the Debian packages that are missing, builds into build/,
# then either opens the designer on an example ("run") or runs every test but the benchmarks
# ("test"). The README's two commands are this script; CI runs "test" on a clean clone.
set -eu

usage() {
    echo "usage: sh cmake/bootstrap.sh run|test|build" >&2
    exit 2
}
[ $# -eq 1 ] || usage
mode=$1
case "$mode" in run|test|build) ;; *) usage ;; esac

cd "$(dirname "$0")/.."

# Everything comes from Debian 12's archive: the toolchain, Qt 6 (Widgets, Svg, Charts, Test,
# Linguist), libnl-3, Boost (Asio), nlohmann-json, Google Benchmark.
packages="cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-svg-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  linguist-qt6 libgl-dev libqt6opengl6-dev
  libnl-3-dev libnl-route-3-dev libnftables-dev nftables libpcap-dev nlohmann-json3-dev libboost-dev libbenchmark-dev
  iproute2 util-linux keepalived shellcheck"

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "bootstrap: these packages are missing:$missing" >&2
        echo "bootstrap: run this script as root (or with sudo) so it can apt-get install them" >&2
        exit 1
    fi
    echo "bootstrap: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086 # the list is meant to split into words
    apt-get install -y -q --no-install-recommends $missing
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$(nproc)"

case "$mode" in
build)
    ;;
run)
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        exec build/bin/lvslab examples/lvs-dr.lvslab
    fi
    echo "bootstrap: no display, so here is the headless view of examples/lvs-dr.lvslab:"
    exec build/bin/lvsctl show examples/lvs-dr.lvslab
    ;;
test)
    # Every test but the benchmarks (ctest -L bench runs those on demand). Tests labeled
    # netns need root; as root they run, they are never skipped silently.
    exec ctest --test-dir build --label-exclude bench --output-on-failure --parallel 2 --timeout 900
    ;;
esac
