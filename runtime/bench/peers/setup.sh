#!/usr/bin/env bash
# Creates (once) the Python environments the serving benchmark's peers run in, and prints their
# directory. One base environment holds PyTorch (the PyPI wheel, the same 2.7.1 libtorch the
# runtime loads through DJL) with numpy and Flask; each model server gets its own environment,
# which sees the base's packages through a .pth file, so that three servers with conflicting pins
# share one 5 GB PyTorch. Every requirements file is a full `pip freeze`; the cache key is their
# hash and the Python version: ~/.cache/maas-operator/bench-peers/<key>/{base,pytriton,mlserver,kserve,torchserve,rayserve}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# Debian's Python, not another build of 3.11: PyTriton's Python-backend stub links the system's
# libpython3.11.so.1.0 and runs it with the environment's standard library, so the two must match.
python=${PYTHON:-/usr/bin/python3}
[ -e /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 ] && "$python" -c 'import venv, ensurepip' 2>/dev/null ||
  { echo "needs Debian's python3, python3-venv and libpython3.11: apt-get install python3-venv libpython3.11" >&2; exit 1; }
key=$( (cat "$here"/requirements-*.txt; "$python" --version) | sha256sum | cut -c1-16)
root="${MAAS_PEERS_DIR:-$HOME/.cache/maas-operator/bench-peers/$key}"
make_env() { # name requirements [base site-packages]
  local env="$root/$1"
  [ -x "$env/bin/python" ] && [ -f "$env/.complete" ] && return 0
  rm -rf "$env"
  "$python" -m venv "$env" >&2
  if [ -n "${3:-}" ]; then
    "$env/bin/python" -c 'import site; print(site.getsitepackages()[0])' |
      { read -r site; echo "$3" > "$site/zz_base_environment.pth"; }
  fi
  echo "installing $1 into $env" >&2
  "$env/bin/python" -m pip install -q --disable-pip-version-check -r "$2" >&2
  touch "$env/.complete"
}
make_env base "$here/requirements-base.txt"
base_site=$("$root/base/bin/python" -c 'import site; print(site.getsitepackages()[0])')
for server in pytriton mlserver kserve torchserve rayserve; do
  make_env "$server" "$here/requirements-$server.txt" "$base_site"
done
echo "$root"
