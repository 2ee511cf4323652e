#!/usr/bin/env bash
# The Gateway API's standard-channel CRDs (HTTPRoute among them), from the Go module proxy's
# sigs.k8s.io/gateway-api module at a pinned version: downloaded once into Go's module cache under
# $HOME, verified by go.sum's checksum database like any module; prints the directory of the CRD
# files, for kubectl apply -f.
#
#   e2e/toolchain/gateway-api-crds.sh      download when needed; prints .../config/crd/standard
set -euo pipefail
version=v1.4.1
command -v go >/dev/null 2>&1 || {
  echo "gateway-api-crds.sh: Go is not installed (e2e/prerequisites.sh installs it)" >&2
  exit 1
}
export GOPROXY=${GOPROXY:-https://proxy.golang.org,direct} GOFLAGS=-mod=mod
dir=$(cd "${TMPDIR:-/tmp}" && go mod download -json "sigs.k8s.io/gateway-api@$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir/config/crd/standard" ] || {
  echo "gateway-api-crds.sh: sigs.k8s.io/gateway-api@$version has no config/crd/standard" >&2
  exit 1
}
echo "$dir/config/crd/standard"
