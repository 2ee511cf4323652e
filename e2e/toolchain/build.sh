#!/usr/bin/env bash
# Builds the local control plane's binaries from source, through the Go module proxy only, and
# caches them under $HOME keyed by everything that shapes them: the wrapper modules' go.mod and
# go.sum, this script, the Go version and the platform. A warm machine skips the build.
#
#   e2e/toolchain/build.sh        build when needed; prints the directory holding the binaries
#   MAAS_TOOLCHAIN_BIN=DIR e2e/toolchain/build.sh
#                                 use prebuilt binaries from DIR instead (no Go needed): it must
#                                 hold every binary below; a Kubernetes of another minor version
#                                 is refused, since the tests assert its exact behaviour
#
# The wrapper modules (one per upstream project, so their Kubernetes library versions never mix):
#   kubernetes/  kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (k8s.io/kubernetes
#                replaces its staging modules with local paths; the wrapper points each at its
#                published twin)
#   etcd/        etcd (go.etcd.io/etcd/server/v3 is itself the main package)
#   kwok/        kwok, which plays nodes and pod status where no kubelet runs
#   helm/        helm, for the chart
#   kstatus/     kstatus, a few lines of ours around sigs.k8s.io/cli-utils/pkg/kstatus (the library
#                Flux waits with), so tests check the status conventions against the real library
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Versions the binaries report; kept beside the go.mod that pins them.
KUBERNETES_VERSION=v1.34.4

# Prebuilt binaries, for users who have them: checked, never built.
if [ -n "${MAAS_TOOLCHAIN_BIN:-}" ]; then
  prebuilt=$(cd "$MAAS_TOOLCHAIN_BIN" 2>/dev/null && pwd) || {
    echo "build.sh: MAAS_TOOLCHAIN_BIN=$MAAS_TOOLCHAIN_BIN is not a directory" >&2
    exit 1
  }
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok helm kstatus; do
    if [ ! -x "$prebuilt/$b" ]; then
      echo "build.sh: MAAS_TOOLCHAIN_BIN=$prebuilt has no executable $b (needs kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok, helm, kstatus)" >&2
      exit 1
    fi
  done
  reported=$("$prebuilt/kube-apiserver" --version 2>/dev/null | awk '{print $2}')
  wanted_minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f1-2)
  case "$reported" in
    "$wanted_minor".*) ;;
    *)
      echo "build.sh: MAAS_TOOLCHAIN_BIN=$prebuilt: kube-apiserver is ${reported:-of an unknown version}, the tests need $wanted_minor.x ($KUBERNETES_VERSION is built here)" >&2
      exit 1
      ;;
  esac
  echo "$prebuilt"
  exit 0
fi

command -v go >/dev/null 2>&1 || {
  echo "build.sh: Go is not installed (need Go >= 1.24; the Go toolchain fetches a newer one itself when a module asks)" >&2
  exit 1
}
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
export GOPROXY=${GOPROXY:-https://proxy.golang.org,direct}

key=$(
  {
    cat "$0"
    for m in kubernetes etcd kwok helm kstatus; do cat "$here/$m/go.mod" "$here/$m/go.sum"; done
    cat "$here/kstatus/main.go"
    go version
    go env GOOS GOARCH
  } | sha256sum | cut -c1-16
)
cache_root=${MAAS_TOOLCHAIN_CACHE:-$HOME/.cache/maas-operator/toolchain}
bin="$cache_root/$key/bin"
if [ -f "$bin/.complete" ]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$bin"
log() { echo "build.sh: $*" >&2; }
started=$(date +%s)

# Stamped the way the Kubernetes release build stamps them, so --version tells the truth and the
# API server's compatibility version is the real one (an unstamped build reports v0.0.0).
minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
k8s_ldflags="-s -w \
  -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION \
  -X k8s.io/component-base/version.gitMajor=1 \
  -X k8s.io/component-base/version.gitMinor=$minor \
  -X k8s.io/component-base/version.gitTreeState=clean \
  -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z \
  -X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION \
  -X k8s.io/client-go/pkg/version.gitMajor=1 \
  -X k8s.io/client-go/pkg/version.gitMinor=$minor"

build() { # module dir, output (a directory ending in / or a file), ldflags, packages...
  local module=$1 output=$2 ldflags=$3
  shift 3
  log "building $* ($module)"
  (cd "$here/$module" && go build -trimpath -ldflags "$ldflags" -o "$output" "$@")
}

build kubernetes "$bin/" "$k8s_ldflags" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kubectl
etcd_version=$(cd "$here/etcd" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
build etcd "$bin/etcd" "-s -w" go.etcd.io/etcd/server/v3
kwok_version=$(cd "$here/kwok" && go list -m -f '{{.Version}}' sigs.k8s.io/kwok)
build kwok "$bin/kwok" "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${kwok_version#v}" sigs.k8s.io/kwok/cmd/kwok
helm_version=$(cd "$here/helm" && go list -m -f '{{.Version}}' helm.sh/helm/v3)
build helm "$bin/helm" "-s -w -X helm.sh/helm/v3/internal/version.version=$helm_version" helm.sh/helm/v3/cmd/helm
kstatus_version=$(cd "$here/kstatus" && go list -m -f '{{.Version}}' sigs.k8s.io/cli-utils)
build kstatus "$bin/kstatus" "-s -w" .

{
  echo "kubernetes $KUBERNETES_VERSION"
  echo "etcd $etcd_version"
  echo "kwok $kwok_version"
  echo "helm $helm_version"
  echo "kstatus (sigs.k8s.io/cli-utils) $kstatus_version"
  go version
} >"$bin/VERSIONS"
touch "$bin/.complete"
log "built in $(($(date +%s) - started)) s: $(tr '\n' ' ' <"$bin/VERSIONS")"
echo "$bin"
