#!/usr/bin/env bash
# Mirroring benchmark: what shadow mirroring costs the serving pod's own clients. One serving
# runtime (the digits MLP) answers wrk's load at c=1 and c=32 while its shadow settings file says
# mirror nothing, 10% or 100% of answered requests to a candidate runtime (the quantize_dynamic
# MLP); the rounds are interleaved (off, 10%, 100%, off, ...) so that the machine's noise falls
# on every setting alike, and each point is the median of its rounds. The serving runtime has
# cores of its own (taskset: the first half of the machine's cores), wrk and the candidate share
# the rest, so what the table shows is the serving pod's own cost of mirroring, as in a cluster
# where the candidate runs in other pods; PIN=0 runs everything on every core.
# Prints one table (throughput, p50, p99, and each against mirroring off) and writes it to
# bench-results/mirroring.md. Needs Debian's wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
POINT_SECONDS=${POINT_SECONDS:-8}
PIN=${PIN:-1}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"1 32"}
OUT=bench-results
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "missing wrk: apt-get install wrk" >&2; exit 1; }
JAR=runtime/target/maas-runtime.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package -pl runtime -am >/dev/null
python3 - "$OUT" <<'PYEOF'
import json, sys
row = json.load(open("examples/models/digits_test.json"))["inputs"][0]
body = {"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 64], "data": row}]}
open(f"{sys.argv[1]}/mlp.json", "w").write(json.dumps(body))
PYEOF
cores=$(nproc)
serving_cpus="0-$((cores - 1))" others_cpus="0-$((cores - 1))"
if [ "$PIN" = 1 ] && [ "$cores" -ge 2 ]; then
  serving_cpus="0-$((cores / 2 - 1))" others_cpus="$((cores / 2))-$((cores - 1))"
fi
work=$(mktemp -d)
settings="$work/shadow.properties"
: >"$settings"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
serve() { # cpus, model, port, extra args...
  local cpus=$1 model=$2 port=$3
  shift 3
  taskset -c "$cpus" java -Xmx1g -jar "$JAR" serve --model "examples/models/$model" --served-name digits \
    --inputs 'input:FP32:-1,64' --port "$port" --max-batch-size 32 --max-batch-delay-ms 5 \
    --workers 2 --threads-per-worker 1 "$@" >"$work/$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    curl -sf --noproxy '*' "http://127.0.0.1:$port/v2/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  echo "runtime on $port did not become ready: $(tail -3 "$work/$port.log")" >&2
  exit 1
}
serve "$others_cpus" digits_mlp_qdynamic.pt 18911
serve "$serving_cpus" digits_mlp.pt 18910 --shadow-config "$settings"
url=http://127.0.0.1:18910/v2/models/digits/infer
mirror() { # percent (0: off)
  if [ "$1" = 0 ]; then
    : >"$settings"
  else
    printf 'candidate=%s\nsamplePercent=%s\ntargets=http://127.0.0.1:18911\n' "b$1" "$1" >"$settings"
  fi
  sleep 2 # the runtime reads the file once a second
}
point() { # concurrency -> "rps p50 p99"
  BODY=$OUT/mlp.json taskset -c "$others_cpus" wrk -t"$(($1 < 2 ? 1 : 2))" -c"$1" -d"${POINT_SECONDS}s" --latency \
    -s runtime/bench/post.lua "$url" 2>&1 | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    END { printf "%s %s %s\n", rps, p50, p99 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Warm both JVMs at the highest concurrency, with mirroring on, so every point measures warm code.
mirror 100
BODY=$OUT/mlp.json taskset -c "$others_cpus" wrk -t2 -c32 -d15s -s runtime/bench/post.lua "$url" >/dev/null 2>&1 || true
declare -A results
for c in $CONCURRENCY; do
  for round in $(seq 1 "$ROUNDS"); do
    for p in 0 10 100; do
      mirror "$p"
      results[$c,$p]+="$(point "$c")"$'\n'
    done
  done
done
mirrored=$(curl -s --noproxy '*' http://127.0.0.1:18910/metrics | grep '^maas_shadow_requests_total' | sort)
{
  echo "| concurrency | mirroring | req/s | p50 ms | p99 ms | req/s vs off | p50 vs off | p99 vs off | p99 of each round |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for c in $CONCURRENCY; do
    base_rps=$(echo -n "${results[$c,0]}" | awk '{print $1}' | median)
    base_p50=$(echo -n "${results[$c,0]}" | awk '{print $2}' | median)
    base_p99=$(echo -n "${results[$c,0]}" | awk '{print $3}' | median)
    for p in 0 10 100; do
      rps=$(echo -n "${results[$c,$p]}" | awk '{print $1}' | median)
      p50=$(echo -n "${results[$c,$p]}" | awk '{print $2}' | median)
      p99=$(echo -n "${results[$c,$p]}" | awk '{print $3}' | median)
      label=$([ "$p" = 0 ] && echo off || echo "$p%")
      rounds=$(echo -n "${results[$c,$p]}" | awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $3 }')
      awk -v c="$c" -v l="$label" -v r="$rps" -v a="$p50" -v b="$p99" -v R="$base_rps" -v A="$base_p50" -v B="$base_p99" -v rounds="$rounds" \
        'BEGIN { printf "| %s | %s | %.0f | %.2f | %.2f | %.2fx | %.2fx | %.2fx | %s |\n", c, l, r, a, b, r / R, a / A, b / B, rounds }'
    done
  done
  echo
  echo "Median of $ROUNDS interleaved rounds of ${POINT_SECONDS} s per point; $cores cores: the serving runtime on CPUs $serving_cpus, wrk and the candidate on CPUs $others_cpus."
  echo "What the mirror did (the serving pod's own counters):"
  echo '```'
  echo "$mirrored"
  echo '```'
} | tee "$OUT/mirroring.md"
