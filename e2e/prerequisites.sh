# shellcheck shell=bash
# What this project needs on a machine, in one place, for .ci/run and `e2e/local-cluster.sh demo`
# alike: sourced (it may put a Go toolchain on PATH), then
#
#   maas_prerequisites GROUP...   installs what the groups need and this machine lacks
#
# Groups:
#   build     JDK 17, Maven, curl (the jars; every Java library comes from Maven Central)
#   cluster   Go >= 1.21 and openssl: the local control plane is built from source through the Go
#             module proxy, and an older Go fetches the newer toolchain a module asks for itself
#   kubelet   iproute2, bubblewrap, setpriv (util-linux): the process kubelet's pod networks,
#             sandboxes and users
#   images    mmdebstrap, umoci: the container images, built from Debian's packages
#   clients   python3 with venv: the runtime's client tests (tritonclient from PyPI)
#
# Debian's packages come through apt-get (root). Go does not: Debian 12's golang-go is 1.19, too
# old to fetch a newer toolchain, so a missing or older Go is replaced by a pinned release from the
# Go module proxy (golang.org/toolchain, the same zip `GOTOOLCHAIN=auto` downloads), checked
# against its sha256 and kept under ~/.cache/maas-operator/go.

MAAS_GO_VERSION=1.26.8
MAAS_GO_SHA256=30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7

maas_prerequisites() {
  local group need=() go_wanted=0
  for group in "$@"; do
    case "$group" in
      build)
        command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
        command -v mvn >/dev/null 2>&1 || need+=(maven)
        command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
        ;;
      cluster)
        command -v openssl >/dev/null 2>&1 || need+=(openssl)
        command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
        maas_go_usable || { go_wanted=1 && { command -v unzip >/dev/null 2>&1 || need+=(unzip); }; }
        ;;
      kubelet)
        command -v ip >/dev/null 2>&1 || need+=(iproute2)
        command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
        command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
        ;;
      images)
        command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
        command -v umoci >/dev/null 2>&1 || need+=(umoci)
        ;;
      clients)
        command -v python3 >/dev/null 2>&1 || need+=(python3)
        python3 -m venv --help >/dev/null 2>&1 || need+=(python3-venv)
        ;;
      *)
        echo "prerequisites: unknown group '$group' (build, cluster, kubelet, images, clients)" >&2
        return 64
        ;;
    esac
  done
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      echo "prerequisites: missing ${need[*]}; install them (Debian: sudo apt-get install ${need[*]}) or run this as root on Debian" >&2
      return 69
    fi
    echo "prerequisites: installing ${need[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ "$go_wanted" = 1 ]; then
    maas_go_from_proxy || return $?
  fi
  # A Go >= 1.21 fetches the newer toolchain a wrapper module asks for, through the proxy.
  export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
}

# Is there a Go that can fetch newer toolchains itself (>= 1.21)?
maas_go_usable() {
  command -v go >/dev/null 2>&1 || return 1
  local v
  v=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null | sed 's/^go//')
  [ -n "$v" ] || return 1
  local major minor
  major=${v%%.*}
  minor=$(echo "$v" | cut -d. -f2)
  [ "$major" -gt 1 ] || [ "${minor:-0}" -ge 21 ]
}

# The pinned Go release from the module proxy, verified, cached, first on PATH.
maas_go_from_proxy() {
  local cache=${MAAS_GO_CACHE:-$HOME/.cache/maas-operator/go}
  local dir="$cache/go$MAAS_GO_VERSION"
  local root="$dir/golang.org/toolchain@v0.0.1-go$MAAS_GO_VERSION.linux-amd64"
  if [ ! -x "$root/bin/go" ]; then
    [ "$(uname -m)" = x86_64 ] || {
      echo "prerequisites: no Go on this $(uname -m) machine; install Go >= 1.21 and run again" >&2
      return 69
    }
    local proxy=${GOPROXY:-https://proxy.golang.org}
    proxy=${proxy%%,*}
    local zip="$cache/go$MAAS_GO_VERSION.zip"
    echo "prerequisites: fetching Go $MAAS_GO_VERSION from $proxy (about 70 MB)" >&2
    mkdir -p "$cache"
    curl -fsSL --retry 3 -o "$zip" \
      "$proxy/golang.org/toolchain/@v/v0.0.1-go$MAAS_GO_VERSION.linux-amd64.zip" || {
      echo "prerequisites: could not download Go $MAAS_GO_VERSION from $proxy" >&2
      return 69
    }
    if ! echo "$MAAS_GO_SHA256  $zip" | sha256sum -c --status; then
      echo "prerequisites: Go $MAAS_GO_VERSION from $proxy does not match its pinned sha256; not used" >&2
      rm -f "$zip"
      return 69
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    unzip -q "$zip" -d "$dir" && rm -f "$zip"
  fi
  export PATH="$root/bin:$PATH"
}
