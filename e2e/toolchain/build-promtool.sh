#!/usr/bin/env bash
# Builds promtool (Prometheus's rule checker) from source through the Go module proxy, cached
# under $HOME by its module files, the Go version and the platform; prints the binary's path.
# Apart from build.sh so that the control plane's cache does not depend on it.
#
#   e2e/toolchain/build-promtool.sh      build when needed; prints .../promtool
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v go >/dev/null 2>&1 || {
  echo "build-promtool.sh: Go is not installed (e2e/prerequisites.sh installs it)" >&2
  exit 1
}
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
export GOPROXY=${GOPROXY:-https://proxy.golang.org,direct}
key=$(
  {
    cat "$0" "$here/promtool/go.mod" "$here/promtool/go.sum" "$here/promtool/tools.go"
    go version
    go env GOOS GOARCH
  } | sha256sum | cut -c1-16
)
bin="${MAAS_TOOLCHAIN_CACHE:-$HOME/.cache/maas-operator/toolchain}/promtool-$key"
if [ ! -x "$bin/promtool" ]; then
  mkdir -p "$bin"
  started=$(date +%s)
  echo "build-promtool.sh: building promtool" >&2
  (cd "$here/promtool" && go build -trimpath -ldflags "-s -w" -o "$bin/promtool.tmp" \
    github.com/prometheus/prometheus/cmd/promtool)
  mv "$bin/promtool.tmp" "$bin/promtool"
  echo "build-promtool.sh: built in $(($(date +%s) - started)) s" >&2
fi
echo "$bin/promtool"
