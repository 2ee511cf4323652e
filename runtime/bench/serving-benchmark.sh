#!/usr/bin/env bash
# Serving benchmark: throughput and p50/p99 latency at several concurrencies, for
#   1. the in-process engine (same batching and predictors, no HTTP/JSON): the ceiling,
#   2. this server with dynamic batching, and with batching off (--max-batch-size 1),
#   3. the model servers a user would deploy instead, each serving the same TorchScript file with
#      the same PyTorch (2.7.1, the PyPI wheel; the runtime loads the same libtorch through DJL)
#      over the same Open Inference Protocol JSON:
#        Triton through PyTriton (its dynamic batcher), Seldon MLServer (its adaptive batching),
#        KServe's Python ModelServer (no batching of its own: KServe batches in a Go sidecar),
#   4. the hand-rolled peer: Flask (threaded) + torch, one forward pass per request,
# on the digits MLP (overhead-bound) and the digits CNN (compute-bound), with wrk as the load
# generator for every HTTP server and the same request bodies; and over gRPC (KServe V2
# ModelInfer, raw tensors, as tritonclient sends them) for the servers that speak it (this one,
# Triton, MLServer), with ghz as the load generator for all of them (v0.93.0, built from the Go
# module proxy by e2e/toolchain/build-ghz.sh); and this server over REST with Triton's binary
# tensor data extension (tritonclient's default). Every batching server batches up
# to 32 rows with a 5 ms maximum delay, with 2 model instances/workers x 1 torch thread.
# Prints one table and writes it to bench-results/serving.md. Needs Debian's wrk; the peers'
# Python environments come from runtime/bench/peers/setup.sh (cached; ~7 GB, ~3 min the first time).
set -euo pipefail
cd "$(dirname "$0")/../.."
POINT_SECONDS=${POINT_SECONDS:-5}
# Each server (and the in-process engine) first takes this long of load at the highest concurrency,
# so that every point measures a warmed-up server: the JVM's C2 compiler took ~19% of both cores in
# the first 6 s of CNN load and ~1-6% after (measured per thread from /proc), which a 2 s warm-up
# per point left inside the measurement. Python servers get the same warm-up.
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
CONCURRENCY=${CONCURRENCY:-"1 8 32 64"}
MODELS=${MODELS:-"mlp cnn"}
PEERS=${PEERS-"pytriton mlserver kserve torchserve rayserve flask"}
MAX_BATCH=32
DELAY_MS=5
INSTANCES=2
OUT=bench-results
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "missing wrk: apt-get install wrk" >&2; exit 1; }
GHZ=${GHZ:-$(e2e/toolchain/build-ghz.sh)}
PROTO=runtime/src/main/proto/grpc_predict_v2.proto
# PEERS="" measures this server alone (in-process, batched, unbatched) without the peers' ~7 GB.
PEER_ENVS=$([ -z "$PEERS" ] || runtime/bench/peers/setup.sh)
PY="$PEER_ENVS/base/bin/python"
export PYTHONPATH="$PWD/runtime/bench/peers"

# The runtime's classpath names the operator module (its test-jar): installed first, as one reactor
# running package and test-compile together hands the operator's shade plugin the contract's
# classes directory instead of its jar.
mvn -B -q -DskipTests install -pl contract,operator >/dev/null
mvn -B -q -DskipTests package -pl runtime >/dev/null
mvn -B -q -pl runtime dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >/dev/null
CP="runtime/target/test-classes:runtime/target/classes:$(cat "$OUT/classpath.txt")"
JAR=runtime/target/maas-runtime.jar

# Request bodies: one held-out digit per request, as a client would send it: OIP JSON; the binary
# tensor data extension's body (JSON part, then the 256 bytes, binary output asked for) and its
# JSON part's length; and a gRPC ModelInferRequest with raw_input_contents, as ghz's JSON.
python3 - "$OUT" <<'PYEOF'
import json, struct, sys
out = sys.argv[1]
row = json.load(open("examples/models/digits_test.json"))["inputs"][0]
raw = struct.pack("<64f", *row)
for name, shape in (("mlp", [1, 64]), ("cnn", [1, 1, 8, 8])):
    body = {"inputs": [{"name": "input", "datatype": "FP32", "shape": shape, "data": row}]}
    open(f"{out}/{name}.json", "w").write(json.dumps(body))
    header = json.dumps({"inputs": [{"name": "input", "datatype": "FP32", "shape": shape,
                                     "parameters": {"binary_data_size": len(raw)}}],
                         "parameters": {"binary_data_output": True}}).encode()
    open(f"{out}/{name}.bin", "wb").write(header + raw)
    open(f"{out}/{name}.bin.length", "w").write(str(len(header)))
    open(f"{out}/{name}.row.json", "w").write(json.dumps(row))
    # The ModelInferRequest serialized (ghz -B): ghz would otherwise build every message from JSON,
    # which cost it 2-3x the CPU per request on this machine's 2 cores.
    def varint(n):
        out = b""
        while True:
            low, n = n & 0x7F, n >> 7
            if not n:
                return out + bytes([low])
            out += bytes([low | 0x80])
    def field(number, payload):
        return varint(number << 3 | 2) + varint(len(payload)) + payload
    tensor = field(1, b"input") + field(2, b"FP32") + field(3, b"".join(varint(d) for d in shape))
    request = field(1, name.encode()) + field(5, tensor) + field(7, raw)
    open(f"{out}/{name}.grpc.bin", "wb").write(request)
PYEOF

cleanup() { [ -n "${SERVER_PID:-}" ] && kill -TERM -- "-$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_ready() { # port model: 0 once the model is ready, 1 if the server exited or timed out
  for _ in $(seq 1 600); do
    if [ -n "${OWN_API:-}" ]; then
      # A server with its own API (no OIP readiness): ready once it answers an inference.
      curl -sf -H 'Content-Type: application/json' --data-binary "@$OUT/$2.row.json" \
        "http://127.0.0.1:$1/predictions/$2" >/dev/null && return 0
    else
      curl -sf "http://127.0.0.1:$1/v2/models/$2/ready" >/dev/null && return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_server() {
  # Python servers spawn workers (and PyTriton a Triton server process): stop the whole process
  # group, and wait until nothing listens on the server's ports (HTTP, gRPC, metrics) any more.
  kill -TERM -- "-$SERVER_PID" 2>/dev/null || kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 150); do
    listening 18090 || listening 18091 || listening 18092 || break
    sleep 0.2
  done
  if kill -0 -- "-$SERVER_PID" 2>/dev/null; then
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  pkill -KILL -f tritonserver 2>/dev/null || true
  # Ray's daemons and TorchServe's Java frontend and Python workers leave their process group.
  pkill -KILL -f 'raylet|gcs_server|ray::|default_worker.py|org.pytorch.serve|model_service_worker' 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  for _ in $(seq 1 50); do
    listening 18090 || listening 18091 || listening 18092 || return 0
    sleep 0.2
  done
  echo "a server still listens on 18090-18092 after being stopped" >&2; exit 1
}

# CPU seconds used so far by the server's process group (every worker and helper process it
# started): the load generators differ in cost (wrk, ghz), the server's CPU per request does not
# depend on them.
server_cpu() {
  python3 - "$SERVER_PID" <<'PYEOF'
import os, sys
group, ticks = int(sys.argv[1]), 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    if int(fields[2]) == group:
        ticks += int(fields[11]) + int(fields[12])
print(ticks / os.sysconf("SC_CLK_TCK"))
PYEOF
}

# per_request_cpu BEFORE AFTER "rps p50 p99 errors" -> the same with the server's CPU us/request
per_request_cpu() {
  echo "$3 $(python3 -c "import sys; b, a, rps = map(float, sys.argv[1:]); print(f'{(a - b) * 1e6 / max(rps * $POINT_SECONDS, 1):.0f}')" "$1" "$2" "${3%% *}")"
}

# wrk_point URL BODY C [JSON_LENGTH] -> "rps p50_ms p99_ms errors cpu_us"
wrk_point() {
  local threads=$(( $3 < 2 ? 1 : 2 ))
  export JSON_LENGTH=${4:-}
  BODY=$2 wrk -t"$threads" -c"$3" -d2s -s runtime/bench/post.lua "$1" >/dev/null 2>&1 || true
  local before after result
  before=$(server_cpu)
  result=$(BODY=$2 wrk -t"$threads" -c"$3" -d"${POINT_SECONDS}s" --latency -s runtime/bench/post.lua "$1" 2>&1 | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { errors += $NF }
    /Socket errors/ { errors += 1 }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, errors }')
  after=$(server_cpu)
  per_request_cpu "$before" "$after" "$result"
}

# ghz_point HOST:PORT MESSAGE C -> "rps p50_ms p99_ms errors cpu_us": ModelInfer with C concurrent
# calls over C connections (as wrk's C connections: one call at a time on each). Calls cut off by
# ghz closing its connections at the end ("transport is closing", at most C) are not errors.
ghz_point() {
  local run=("$GHZ" --insecure --proto "$PROTO" --call inference.GRPCInferenceService.ModelInfer
    -B "$2" -c "$3" --connections "$3")
  "${run[@]}" -z 2s "$1" >/dev/null 2>&1 || true
  local before after result
  before=$(server_cpu)
  result=$("${run[@]}" -z "${POINT_SECONDS}s" -O json "$1" 2>/dev/null | python3 -c '
import json, sys
r = json.load(sys.stdin)
lat = {int(d["percentage"]): d["latency"] / 1e6 for d in r.get("latencyDistribution") or []}
ok = (r.get("statusCodeDistribution") or {}).get("OK", 0)
closing = sum(n for e, n in (r.get("errorDistribution") or {}).items() if "transport is closing" in e)
rps, count = r["rps"], r["count"]
print(f"{rps:.0f} {lat.get(50, 0):.3f} {lat.get(99, 0):.3f} {count - ok - closing}")')
  after=$(server_cpu)
  per_request_cpu "$before" "$after" "$result"
}

RESULTS="$OUT/serving.tsv"
: > "$RESULTS"
record() { echo -e "$1\t$2\t$3\t$4" >> "$RESULTS"; }  # model server c "rps p50 p99 errors cpu_us"

# serve_and_measure MODEL LABEL LOG GRPC COMMAND...: starts a server in its own process group,
# waits for the model to be ready, measures every concurrency over REST, then, with GRPC=grpc, over
# gRPC on port+1 (and for this server, REST with binary tensors), stops it.
serve_and_measure() {
  local model=$1 label=$2 log=$3 grpc=$4 port=18090
  shift 4
  # Two tries: under load, PyTriton's handshake with its Python backend sometimes times out.
  for try in 1 2; do
    set -m
    "$@" >"$OUT/$log" 2>&1 &
    SERVER_PID=$!
    set +m
    wait_ready $port "$model" && break
    stop_server
    [ "$try" = 2 ] && { echo "$label did not become ready twice; see $OUT/$log" >&2; exit 1; }
    echo "$label did not become ready; starting it again" >&2
  done
  local highest=${CONCURRENCY##* }
  # OIP JSON, or (OWN_API) the server's own /predictions API with the item's values as a JSON list.
  local url="http://127.0.0.1:$port/v2/models/$model/infer" body="$OUT/$model.json"
  if [ -n "${OWN_API:-}" ]; then
    url="http://127.0.0.1:$port/predictions/$model" body="$OUT/$model.row.json"
  fi
  BODY="$body" JSON_LENGTH= wrk -t2 -c"$highest" -d"${WARMUP_SECONDS}s" -s runtime/bench/post.lua \
    "$url" >/dev/null 2>&1 || true
  for c in $CONCURRENCY; do
    record "$model" "$label" "$c" "$(wrk_point "$url" "$body" "$c")"
  done
  if [ "$label" = "maas-runtime (batched)" ]; then
    for c in $CONCURRENCY; do
      record "$model" "$label REST binary" "$c" "$(wrk_point "http://127.0.0.1:$port/v2/models/$model/infer" "$OUT/$model.bin" "$c" "$(cat "$OUT/$model.bin.length")")"
    done
  fi
  if [ "$grpc" = grpc ]; then
    "$GHZ" --insecure --proto "$PROTO" --call inference.GRPCInferenceService.ModelInfer \
      -B "$OUT/$model.grpc.bin" -c "$highest" --connections "$highest" -z "$((WARMUP_SECONDS / 3))s" \
      "127.0.0.1:$((port + 1))" >/dev/null 2>&1 || true
    for c in $CONCURRENCY; do
      record "$model" "$label gRPC" "$c" "$(ghz_point "127.0.0.1:$((port + 1))" "$OUT/$model.grpc.bin" "$c")"
    done
  fi
  stop_server
}

bench_model() {
  local model=$1 file=$2 inputs=$3 item_shape=$4 port=18090
  echo "== $model: in-process ceiling" >&2
  java -cp "$CP" dev.maas.runtime.bench.InProcessBenchmark "$file" "$inputs" $MAX_BATCH $INSTANCES "$POINT_SECONDS" "$(echo $CONCURRENCY | tr ' ' ,)" "$WARMUP_SECONDS" "$OUT/$model.json" 2>/dev/null |
    grep -E '^[0-9]+'$'\t' |
    while IFS=$'\t' read -r c rps p50 p99; do record "$model" "in-process (batched)" "$c" "$rps $p50 $p99 0 -"; done
  for variant in batched unbatched; do
    local batch=$MAX_BATCH; [ "$variant" = unbatched ] && batch=1
    echo "== $model: maas-runtime, $variant" >&2
    local grpc=grpc; [ "$variant" = unbatched ] && grpc=no
    serve_and_measure "$model" "maas-runtime ($variant)" "server-$model-$variant.log" $grpc \
      java -jar "$JAR" serve --model "$file" --inputs "$inputs" --served-name "$model" --port $port \
      --grpc-port $((port + 1)) --max-batch-size $batch --max-batch-delay-ms $DELAY_MS --workers $INSTANCES
  done
  for peer in $PEERS; do
    echo "== $model: $peer" >&2
    case $peer in
      pytriton)
        serve_and_measure "$model" "Triton (PyTriton 0.7.0)" "pytriton-$model.log" grpc \
          "$PEER_ENVS/pytriton/bin/python" runtime/bench/peers/pytriton_peer.py "$file" "$model" $port \
          "$item_shape" $MAX_BATCH $DELAY_MS $INSTANCES ;;
      mlserver)
        local settings="$OUT/mlserver-$model"
        "$PEER_ENVS/mlserver/bin/python" runtime/bench/peers/mlserver_peer.py "$file" "$model" $port \
          $MAX_BATCH $DELAY_MS $INSTANCES "$settings"
        serve_and_measure "$model" "MLServer 1.7.1" "mlserver-$model.log" grpc \
          "$PEER_ENVS/mlserver/bin/mlserver" start "$settings" ;;
      kserve)
        serve_and_measure "$model" "KServe ModelServer 0.21.0 (unbatched)" "kserve-$model.log" no \
          "$PEER_ENVS/kserve/bin/python" runtime/bench/peers/kserve_peer.py "$file" "$model" $port \
          $INSTANCES --log_config_file runtime/bench/peers/kserve-logging.json ;;
      flask)
        serve_and_measure "$model" "Flask + torch (threaded)" "flask-$model.log" no \
          "$PY" runtime/bench/peers/flask_peer.py "$file" "$model" $port ;;
      torchserve)
        OWN_API=1 serve_and_measure "$model" "TorchServe 0.12.0 (own API)" "torchserve-$model.log" no \
          "$PEER_ENVS/torchserve/bin/python" runtime/bench/peers/torchserve_peer.py "$file" "$model" \
          $port "$item_shape" $MAX_BATCH $DELAY_MS $INSTANCES "$PWD/$OUT/torchserve-$model" ;;
      rayserve)
        OWN_API=1 serve_and_measure "$model" "Ray Serve 2.60.0 (own API)" "rayserve-$model.log" no \
          "$PEER_ENVS/rayserve/bin/python" runtime/bench/peers/rayserve_peer.py "$file" "$model" \
          $port "$item_shape" $MAX_BATCH $DELAY_MS $INSTANCES ;;
      *) echo "unknown peer $peer (pytriton mlserver kserve flask torchserve rayserve)" >&2; exit 64 ;;
    esac
  done
}

for m in $MODELS; do
  case $m in
    mlp) bench_model mlp examples/models/digits_mlp.pt "input:FP32:-1,64" 64 ;;
    cnn) bench_model cnn examples/models/digits_cnn.pt "input:FP32:-1,1,8,8" 1,8,8 ;;
    *) echo "unknown model $m (mlp cnn)" >&2; exit 64 ;;
  esac
done

python3 - "$RESULTS" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(free -g | awk '/Mem:/ {print $2}')" <<'PYEOF' | tee "$OUT/serving.md"
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = collections.OrderedDict()
for model, server, c, values in rows:
    rps, p50, p99, errors, cpu = values.split()
    data[(model, server, int(c))] = (float(rps), float(p50), float(p99), int(errors), cpu)
def ours(server): return server.startswith("in-process") or server.startswith("maas-runtime")
def grpc(server): return server.endswith(" gRPC")
def best_peer(model, c, over_grpc):
    peers = [(v[0], s) for (m, s, cc), v in data.items()
             if m == model and cc == c and not ours(s) and grpc(s) == over_grpc]
    return max(peers) if peers else None
print(f"Serving benchmark: {sys.argv[2]} cores ({sys.argv[3]}), {sys.argv[4]} GiB, one run, the load generator on the same machine (wrk for HTTP, ghz for gRPC).\n")
print("| model | server | c | req/s | p50 ms | p99 ms | errors | server CPU us/req | x best peer (same protocol) | x in-process |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for (model, server, c), (rps, p50, p99, errors, cpu) in data.items():
    best = best_peer(model, c, grpc(server))
    ceiling = data.get((model, "in-process (batched)", c))
    xb = f"{rps / best[0]:.2f}" if best and best[0] else "-"
    xi = f"{rps / ceiling[0]:.2f}" if ceiling and ceiling[0] else "-"
    print(f"| {model} | {server} | {c} | {rps:.0f} | {p50:.3f} | {p99:.3f} | {errors} | {cpu} | {xb} | {xi} |")
def get(m, s, c): return data.get((m, s, c))
def verdict(ok): return "met" if ok else "MISSED"
print("\nGoals:")
for c in (32, 64):
    a, best = get("mlp", "maas-runtime (batched)", c), best_peer("mlp", c, False)
    if a and best:
        x = a[0] / best[0]
        print(f"- MLP, c={c}: {x:.2f}x the best peer ({best[1]}, {best[0]:.0f} req/s); goal >= 1.5x: {verdict(x >= 1.5)}")
for c in (32, 64):
    g, best, rest = get("mlp", "maas-runtime (batched) gRPC", c), best_peer("mlp", c, True), get("mlp", "maas-runtime (batched)", c)
    if g and best:
        x = g[0] / best[0]
        print(f"- MLP over gRPC, c={c}: {x:.2f}x the best gRPC peer ({best[1]}, {best[0]:.0f} req/s); goal >= 1.5x: {verdict(x >= 1.5)}")
    if g and rest:
        x = g[0] / rest[0]
        print(f"- MLP over gRPC, c={c}: {x:.2f}x our REST ({rest[0]:.0f} req/s; server CPU {g[4]} vs {rest[4]} us/req); goal >= 1.0x: {verdict(x >= 1.0)}")
for c in (8, 32, 64):
    a, i = get("cnn", "maas-runtime (batched)", c), get("cnn", "in-process (batched)", c)
    if a and i:
        x = a[0] / i[0]
        print(f"- CNN, c={c}: {x:.2f}x the in-process batched ceiling; goal >= 0.9x: {verdict(x >= 0.9)}")
for m in ("mlp", "cnn"):
    a, i = get(m, "maas-runtime (batched)", 1), get(m, "in-process (batched)", 1)
    if a and i:
        d = a[2] - i[2]
        print(f"- {m.upper()}, c=1: p99 {a[2]:.3f} ms vs in-process {i[2]:.3f} ms: {d:+.3f} ms; goal <= +0.5 ms: {verdict(d <= 0.5)}")
for m in ("mlp", "cnn"):
    below = [c for (mm, s, c), v in data.items() if mm == m and s == "maas-runtime (batched)"
             and get(m, "maas-runtime (unbatched)", c) and v[0] < get(m, "maas-runtime (unbatched)", c)[0]]
    if get(m, "maas-runtime (batched)", 1):
        print(f"- {m.upper()}: batched below unbatched at c={below or 'none'}; goal: none: {verdict(not below)}")
PYEOF
