#!/usr/bin/env bash
# Builds ghz (a gRPC load generator) from source through the Go module proxy, cached under $HOME by
# its module files, the Go version and the platform; prints the binary's path. The serving
# benchmark's gRPC rows use it.
#
#   e2e/toolchain/build-ghz.sh      build when needed; prints .../ghz
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=go-tool.sh
. "$here/go-tool.sh"
build_go_tool ghz "$here/ghz" github.com/bojand/ghz/cmd/ghz
