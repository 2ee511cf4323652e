#!/usr/bin/env bash
# Builds promtool (Prometheus's rule checker) from source through the Go module proxy, cached
# under $HOME by its module files, the Go version and the platform; prints the binary's path.
#
#   e2e/toolchain/build-promtool.sh      build when needed; prints .../promtool
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=go-tool.sh
. "$here/go-tool.sh"
build_go_tool promtool "$here/promtool" github.com/prometheus/prometheus/cmd/promtool
