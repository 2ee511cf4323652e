#!/usr/bin/env bash
# Access benchmark: what API keys and TLS cost a client. Three runtimes serve the digits MLP side
# by side: open (plain HTTP, no key), with an API key (--api-keys), and with an API key over HTTPS
# (--tls-cert/--tls-key, a certificate openssl makes here); wrk drives each at c=1 and c=32 with
# keep-alive connections, in interleaved rounds (open, key, key+TLS, open, ...) so that the
# machine's noise falls on all three alike; each point is the median of its rounds. The runtimes
# have half the cores (taskset), wrk the other half. Prints one table (throughput, p50, p99, and
# the difference from open) and writes it to bench-results/access.md. Needs Debian's wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
POINT_SECONDS=${POINT_SECONDS:-8}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"1 32"}
OUT=bench-results
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "missing wrk: apt-get install wrk" >&2; exit 1; }
JAR=runtime/target/maas-runtime.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package -pl runtime -am >/dev/null
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
python3 - "$work" <<'PYEOF'
import json, sys
row = json.load(open("examples/models/digits_test.json"))["inputs"][0]
body = {"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 64], "data": row}]}
open(f"{sys.argv[1]}/mlp.json", "w").write(json.dumps(body))
PYEOF
mkdir -p "$work/keys"
key=$(openssl rand -hex 24)
printf '%s\n' "$key" >"$work/keys/bench"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
cores=$(nproc)
serving_cpus="0-$((cores - 1))" others_cpus="0-$((cores - 1))"
if [ "$cores" -ge 2 ]; then
  serving_cpus="0-$((cores / 2 - 1))" others_cpus="$((cores / 2))-$((cores - 1))"
fi
serve() { # port scheme extra args...
  local port=$1 scheme=$2
  shift 2
  taskset -c "$serving_cpus" java -Xmx1g -jar "$JAR" serve --model examples/models/digits_mlp.pt \
    --served-name digits --inputs 'input:FP32:-1,64' --port "$port" --max-batch-size 32 \
    --max-batch-delay-ms 5 --workers 2 --threads-per-worker 1 "$@" >"$work/$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    curl -skf --noproxy '*' "$scheme://127.0.0.1:$port/v2/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  echo "runtime on $port did not become ready: $(tail -3 "$work/$port.log")" >&2
  exit 1
}
serve 18920 http
serve 18921 http --api-keys "$work/keys"
serve 18922 https --api-keys "$work/keys" --tls-cert "$work/tls.crt" --tls-key "$work/tls.key"
declare -A urls=([open]=http://127.0.0.1:18920 [key]=http://127.0.0.1:18921 [key+tls]=https://127.0.0.1:18922)
point() { # setting concurrency -> "rps p50 p99"
  local headers=()
  [ "$1" != open ] && headers=(-H "Authorization: Bearer $key")
  BODY=$work/mlp.json taskset -c "$others_cpus" wrk -t"$(($2 < 2 ? 1 : 2))" -c"$2" -d"${POINT_SECONDS}s" \
    --latency "${headers[@]}" -s runtime/bench/post.lua "${urls[$1]}/v2/models/digits/infer" 2>&1 | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { if (bad > 0) { print "non-2xx answers: " bad > "/dev/stderr"; exit 1 } printf "%s %s %s\n", rps, p50, p99 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
settings="open key key+tls"
# Warm every JVM with the highest concurrency first, so that each point measures warm code.
for s in $settings; do point "$s" 32 >/dev/null; done
declare -A results
for c in $CONCURRENCY; do
  for round in $(seq 1 "$ROUNDS"); do
    for s in $settings; do
      results[$c,$s]+="$(point "$s" "$c")"$'\n'
    done
  done
done
{
  echo "| concurrency | access | req/s | p50 ms | p99 ms | req/s vs open | p50 - open (ms) | p99 - open (ms) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  for c in $CONCURRENCY; do
    base_rps=$(echo -n "${results[$c,open]}" | awk '{print $1}' | median)
    base_p50=$(echo -n "${results[$c,open]}" | awk '{print $2}' | median)
    base_p99=$(echo -n "${results[$c,open]}" | awk '{print $3}' | median)
    for s in $settings; do
      rps=$(echo -n "${results[$c,$s]}" | awk '{print $1}' | median)
      p50=$(echo -n "${results[$c,$s]}" | awk '{print $2}' | median)
      p99=$(echo -n "${results[$c,$s]}" | awk '{print $3}' | median)
      awk -v c="$c" -v l="$s" -v r="$rps" -v a="$p50" -v b="$p99" -v R="$base_rps" -v A="$base_p50" -v B="$base_p99" \
        'BEGIN { printf "| %s | %s | %.0f | %.3f | %.2f | %.2fx | %+.3f | %+.2f |\n", c, l, r, a, b, r / R, a - A, b - B }'
    done
  done
  echo
  echo "Median of $ROUNDS interleaved rounds of ${POINT_SECONDS} s per point; $cores cores: the runtimes on CPUs $serving_cpus, wrk on CPUs $others_cpus; keep-alive connections (a TLS handshake per connection, not per request)."
} | tee "$OUT/access.md"
