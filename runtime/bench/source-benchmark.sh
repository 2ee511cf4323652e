#!/usr/bin/env bash
# Model source benchmark: download throughput from a local S3-compatible server (versitygw) through
# the runtime's fetch beside the AWS SDK's plain read to a file, and the cost of a resume. Prints
# one markdown table and writes it to bench-results/sources.md.
#
#   runtime/bench/source-benchmark.sh              # 256 MiB, 5 runs of each path
#   SIZE_MIB=1024 RUNS=3 runtime/bench/source-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench-results
SIZE_MIB=${SIZE_MIB:-256}
RUNS=${RUNS:-5}
mkdir -p "$OUT"
rm -rf "$OUT/source-work"
mvn -B -q -DskipTests install -pl contract,operator
mvn -B -q -DskipTests test-compile -pl runtime
mvn -B -q -pl runtime dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >/dev/null
CP="runtime/target/test-classes:runtime/target/classes:$(cat "$OUT/classpath.txt")"
{
  echo "Source benchmark: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), one run, versitygw on loopback (plain HTTP), a ${SIZE_MIB} MiB object."
  echo
  java -cp "$CP" dev.maas.runtime.bench.SourceBenchmark "$PWD" "$OUT/source-work" "$SIZE_MIB" "$RUNS" 2>/dev/null
} | tee "$OUT/sources.md"
rm -rf "$OUT/source-work"
