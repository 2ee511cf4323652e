#!/usr/bin/env bash
# Checks the GPU image's libtorch arrangement on a machine without a GPU: PyTorch's CUDA wheel
# (torch==2.7.1 from PyPI: its CUDA 12.6 build with the nvidia-* wheels; the image takes the
# cu128 build, same ABI), laid out as the Dockerfile lays it out, DJL pointed at it the way the
# image's env does (PYTORCH_LIBRARY_PATH/VERSION/FLAVOR, no pytorch-native-cpu on the classpath),
# and, in place of the NVIDIA driver, a stub libcuda.so.1 whose every entry point answers
# CUDA_ERROR_NO_DEVICE, so the CUDA build of libtorch loads and falls back to the CPU. It then
# serves the digits model and scores the held-out digits. Downloads ~2.8 GB once (cached in
# $MAAS_GPU_CHECK_DIR, default ~/.cache/maas-operator/gpu-check). Needs gcc, curl and Python 3.
# Run after `mvn -B package -DskipTests`.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MAAS_GPU_CHECK_DIR:-$HOME/.cache/maas-operator/gpu-check}
mkdir -p "$dir"
if [ ! -d "$dir/site/torch/lib" ]; then
  python3 -m pip download -q torch==2.7.1 -d "$dir/wheels"
  python3 -m pip install -q --no-index --find-links "$dir/wheels" --target "$dir/site.part" torch==2.7.1
  mv "$dir/site.part" "$dir/site"
fi
site="$dir/site"
image="$dir/opt-torch"
rm -rf "$image" && mkdir -p "$image/site-packages/torch"
# The Dockerfile's layout, by symlink.
ln -s "$site/torch/lib" "$image/site-packages/torch/lib"
for d in nvidia cusparselt; do [ -d "$site/$d" ] && ln -s "$site/$d" "$image/site-packages/$d"; done
missing=$(ldd "$site"/torch/lib/*.so | grep 'not found' | grep -v 'libcuda.so.1' | sort -u || true)
[ -z "$missing" ] || { echo "libtorch needs libraries the image lacks: $missing" >&2; exit 1; }

stub="$dir/no-driver"
mkdir -p "$stub"
nm -D --undefined-only "$site"/torch/lib/*.so | awk '{print $2}' | grep '^cu' | sed 's/@.*//' | sort -u |
  sed 's/.*/int &(void) { return 100; }/' > "$stub/libcuda.c"
gcc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$stub/libcuda.so.1" "$stub/libcuda.c"

port=18097
log="$dir/serve.log"
rm -rf "$dir/djl-cache"
env LD_LIBRARY_PATH="$stub" PYTORCH_LIBRARY_PATH="$image/site-packages/torch/lib" PYTORCH_VERSION=2.7.1 \
  PYTORCH_FLAVOR=cu128 DJL_CACHE_DIR="$dir/djl-cache" \
  java -cp "runtime/target/image/app/*:runtime/target/image/lib/*" dev.maas.runtime.RuntimeMain serve \
  --model examples/models/digits_mlp.pt --inputs input:FP32:-1,64 --port $port > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf --noproxy '*' "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 1
done
python3 - "$port" <<'PY'
import json, sys, urllib.request
data = json.load(open("examples/models/digits_test.json"))
n = len(data["inputs"])
right = 0
for start in range(0, n, 30):  # within the server's --max-batch-size (32)
    rows = data["inputs"][start:start + 30]
    body = {"inputs": [{"name": "input", "datatype": "FP32", "shape": [len(rows), 64],
                        "data": [v for row in rows for v in row]}]}
    request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/v2/models/digits_mlp/infer",
                                     json.dumps(body).encode(), {"Content-Type": "application/json"})
    out = json.load(urllib.request.urlopen(request))["outputs"][0]["data"]
    right += sum(max(range(10), key=lambda k: out[i * 10 + k]) == data["labels"][start + i]
                 for i in range(len(rows)))
print(f"held-out accuracy through the CUDA build of libtorch (on the CPU): {right / n:.4f}")
sys.exit(0 if right / n > 0.97 else 1)
PY
grep -o 'on cpu() with PyTorch [0-9.]*' "$log"
echo "loaded from the wheel: $(grep -c "$site" /proc/$server/maps) mappings, e.g. $(grep -o "$site[^ ]*libtorch_cuda.so" /proc/$server/maps | head -1)"
