#!/usr/bin/env bash
# Creates (once) a Python virtual environment with the pinned OIP clients of requirements.txt,
# cached under ~/.cache/maas-operator/clients/<hash of requirements.txt and the Python version>,
# and prints its python's path. Used by .ci/run and, when missing, by the tests themselves.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python=${PYTHON:-python3}
key=$( (cat "$here/requirements.txt"; "$python" --version) | sha256sum | cut -c1-16)
venv="${MAAS_CLIENTS_VENV:-$HOME/.cache/maas-operator/clients/$key}"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
  touch "$venv/.complete"
fi
echo "$venv/bin/python"
