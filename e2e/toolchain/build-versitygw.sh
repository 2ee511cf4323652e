#!/usr/bin/env bash
# Builds versitygw (Versity's S3 gateway, an S3-compatible server) from source through the Go
# module proxy, cached under $HOME by its module files, the Go version and the platform; prints
# the binary's path. The model-source tests fetch from it.
#
#   e2e/toolchain/build-versitygw.sh      build when needed; prints .../versitygw
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=go-tool.sh
. "$here/go-tool.sh"
build_go_tool versitygw "$here/versitygw" github.com/versity/versitygw/cmd/versitygw
