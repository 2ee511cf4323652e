#!/usr/bin/env bash
# Serving benchmark: throughput and p50/p99 latency at several concurrencies, for
#   1. the in-process engine (same batching and predictors, no HTTP/JSON): the ceiling,
#   2. this server with dynamic batching,
#   3. this server with batching off (--max-batch-size 1),
#   4. the hand-rolled peer: Flask (threaded) + torch, one forward pass per request,
# on the digits MLP (overhead-bound) and the digits CNN (compute-bound), with wrk as the load
# generator for every HTTP server and the same request bodies. Prints one table and writes it
# to bench-results/serving.md. Needs Debian's wrk, python3-flask and python3-torch.
set -euo pipefail
cd "$(dirname "$0")/../.."
POINT_SECONDS=${POINT_SECONDS:-5}
CONCURRENCY=${CONCURRENCY:-"1 8 32 64"}
OUT=bench-results
mkdir -p "$OUT"
PY=/usr/bin/python3

for tool in wrk "$PY"; do command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install wrk python3-flask python3-torch" >&2; exit 1; }; done
"$PY" -c 'import flask, torch' 2>/dev/null || { echo "missing python3-flask/python3-torch (Debian packages)" >&2; exit 1; }

mvn -B -q -DskipTests package test-compile -pl runtime -am
mvn -B -q -pl runtime dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >/dev/null
CP="runtime/target/test-classes:runtime/target/classes:$(cat "$OUT/classpath.txt")"
JAR=runtime/target/maas-runtime.jar

# Request bodies: one held-out digit per request, as a client would send it.
"$PY" - "$OUT" <<'PYEOF'
import json, sys
out = sys.argv[1]
row = json.load(open("examples/models/digits_test.json"))["inputs"][0]
for name, shape in (("mlp", [1, 64]), ("cnn", [1, 1, 8, 8])):
    body = {"inputs": [{"name": "input", "datatype": "FP32", "shape": shape, "data": row}]}
    open(f"{out}/{name}.json", "w").write(json.dumps(body))
PYEOF

cleanup() { [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$1/v2/health/ready" >/dev/null && return 0
    sleep 0.2
  done
  echo "server on port $1 did not become ready" >&2; exit 1
}

# wrk_point URL BODY C -> "rps p50_ms p99_ms errors"
wrk_point() {
  local threads=$(( $3 < 2 ? 1 : 2 ))
  BODY=$2 wrk -t"$threads" -c"$3" -d2s -s runtime/bench/post.lua "$1" >/dev/null 2>&1 || true
  BODY=$2 wrk -t"$threads" -c"$3" -d"${POINT_SECONDS}s" --latency -s runtime/bench/post.lua "$1" 2>&1 | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { errors += $NF }
    /Socket errors/ { errors += 1 }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, errors }'
}

RESULTS="$OUT/serving.tsv"
: > "$RESULTS"
record() { echo -e "$1\t$2\t$3\t$4" >> "$RESULTS"; }  # model server c "rps p50 p99 errors"

bench_model() {
  local model=$1 file=$2 inputs=$3 body="$OUT/$1.json" port=18090
  echo "== $model: in-process ceiling" >&2
  java -cp "$CP" dev.maas.runtime.bench.InProcessBenchmark "$file" "$inputs" 32 2 "$POINT_SECONDS" "$(echo $CONCURRENCY | tr ' ' ,)" 2>/dev/null |
    while IFS=$'\t' read -r c rps p50 p99; do record "$model" "in-process (batched)" "$c" "$rps $p50 $p99 0"; done
  for variant in batched unbatched; do
    local batch=32; [ "$variant" = unbatched ] && batch=1
    echo "== $model: server, $variant" >&2
    java -jar "$JAR" serve --model "$file" --inputs "$inputs" --served-name "$model" --port $port \
      --max-batch-size $batch --workers 2 >"$OUT/server-$model-$variant.log" 2>&1 &
    SERVER_PID=$!
    wait_ready $port
    for c in $CONCURRENCY; do record "$model" "maas-runtime ($variant)" "$c" "$(wrk_point "http://127.0.0.1:$port/v2/models/$model/infer" "$body" "$c")"; done
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  done
  echo "== $model: Flask + torch peer" >&2
  "$PY" runtime/bench/flask_peer.py "$file" "$model" $port >"$OUT/flask-$model.log" 2>&1 &
  SERVER_PID=$!
  wait_ready $port
  for c in $CONCURRENCY; do record "$model" "Flask + torch (threaded)" "$c" "$(wrk_point "http://127.0.0.1:$port/v2/models/$model/infer" "$body" "$c")"; done
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
}

bench_model mlp examples/models/digits_mlp.pt "input:FP32:-1,64"
bench_model cnn examples/models/digits_cnn.pt "input:FP32:-1,1,8,8"

"$PY" - "$RESULTS" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" <<'PYEOF' | tee "$OUT/serving.md"
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = collections.OrderedDict()
for model, server, c, values in rows:
    rps, p50, p99, errors = values.split()
    data[(model, server, int(c))] = (float(rps), float(p50), float(p99), int(errors))
print(f"Serving benchmark: {sys.argv[2]} cores ({sys.argv[3]}), one run, wrk on the same machine.\n")
print("| model | server | c | req/s | p50 ms | p99 ms | errors | x Flask | x in-process |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for (model, server, c), (rps, p50, p99, errors) in data.items():
    flask = data.get((model, "Flask + torch (threaded)", c))
    ceiling = data.get((model, "in-process (batched)", c))
    xf = f"{rps / flask[0]:.1f}" if flask and flask[0] else "-"
    xi = f"{rps / ceiling[0]:.2f}" if ceiling and ceiling[0] else "-"
    print(f"| {model} | {server} | {c} | {rps:.0f} | {p50:.3f} | {p99:.3f} | {errors} | {xf} | {xi} |")
def get(m, s, c): return data.get((m, s, c))
print("\nTargets:")
a, f = get("mlp", "maas-runtime (batched)", 32), get("mlp", "Flask + torch (threaded)", 32)
if a and f: print(f"- MLP, c=32: {a[0] / f[0]:.1f}x the Flask peer's throughput (target >= 25x)")
for c in (8, 32, 64):
    a, i = get("cnn", "maas-runtime (batched)", c), get("cnn", "in-process (batched)", c)
    if a and i: print(f"- CNN, c={c}: {a[0] / i[0]:.2f}x the in-process batched ceiling (target >= 0.9x)")
for m in ("mlp", "cnn"):
    a, i = get(m, "maas-runtime (batched)", 1), get(m, "in-process (batched)", 1)
    if a and i: print(f"- {m.upper()}, c=1: p99 {a[2]:.3f} ms vs in-process {i[2]:.3f} ms: +{a[2] - i[2]:.3f} ms (target <= +0.5 ms)")
PYEOF
