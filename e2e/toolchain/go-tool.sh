# Builds one Go command from source through the Go module proxy, pinned by a module directory of
# its own (go.mod, go.sum, tools.go), cached under $HOME by those files, this file, the calling
# script, the Go version and the platform; prints the binary's path. Sourced by build-promtool.sh
# and build-versitygw.sh, apart from build.sh so that the control plane's cache does not depend on
# them.
#
#   build_go_tool NAME MODULE_DIR PACKAGE
build_go_tool() {
  local name=$1 dir=$2 package=$3
  command -v go >/dev/null 2>&1 || {
    echo "build-$name.sh: Go is not installed (e2e/prerequisites.sh installs it)" >&2
    exit 1
  }
  export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
  export GOPROXY=${GOPROXY:-https://proxy.golang.org,direct}
  local key bin started
  key=$(
    {
      cat "${BASH_SOURCE[0]}" "$0" "$dir/go.mod" "$dir/go.sum" "$dir/tools.go"
      go version
      go env GOOS GOARCH
    } | sha256sum | cut -c1-16
  )
  bin="${MAAS_TOOLCHAIN_CACHE:-$HOME/.cache/maas-operator/toolchain}/$name-$key"
  if [ ! -x "$bin/$name" ]; then
    mkdir -p "$bin"
    started=$(date +%s)
    echo "build-$name.sh: building $name" >&2
    (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$bin/$name.tmp" "$package")
    mv "$bin/$name.tmp" "$bin/$name"
    echo "build-$name.sh: built in $(($(date +%s) - started)) s" >&2
  fi
  echo "$bin/$name"
}
