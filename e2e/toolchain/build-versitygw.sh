#!/usr/bin/env bash
# Builds versitygw (an S3-compatible server) from source through the Go module proxy, cached
# under $HOME by its module files, the Go version and the platform; prints the binary's path.
# Apart from build.sh so that the control plane's cache does not depend on it.
#
#   e2e/toolchain/build-versitygw.sh      build when needed; prints .../versitygw
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v go >/dev/null 2>&1 || {
  echo "build-versitygw.sh: Go is not installed (e2e/prerequisites.sh installs it)" >&2
  exit 1
}
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
export GOPROXY=${GOPROXY:-https://proxy.golang.org,direct}
key=$(
  {
    cat "$0" "$here/versitygw/go.mod" "$here/versitygw/go.sum" "$here/versitygw/tools.go"
    go version
    go env GOOS GOARCH
  } | sha256sum | cut -c1-16
)
bin="${MAAS_TOOLCHAIN_CACHE:-$HOME/.cache/maas-operator/toolchain}/versitygw-$key"
if [ ! -x "$bin/versitygw" ]; then
  mkdir -p "$bin"
  started=$(date +%s)
  echo "build-versitygw.sh: building versitygw" >&2
  (cd "$here/versitygw" && go build -trimpath -ldflags "-s -w" -o "$bin/versitygw.tmp" \
    github.com/versity/versitygw/cmd/versitygw)
  mv "$bin/versitygw.tmp" "$bin/versitygw"
  echo "build-versitygw.sh: built in $(($(date +%s) - started)) s" >&2
fi
echo "$bin/versitygw"
