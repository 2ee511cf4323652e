#!/usr/bin/env bash
# Compression benchmark: every example model x method, and PyTorch's quantize_dynamic beside
# them. Prints one markdown table and writes it to bench-results/compression.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench-results
mkdir -p "$OUT/compress-work"
mvn -B -q -DskipTests test-compile -pl runtime -am
mvn -B -q -pl runtime dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >/dev/null
CP="runtime/target/test-classes:runtime/target/classes:$(cat "$OUT/classpath.txt")"
{
  echo "Compression benchmark: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), one run."
  echo "Held-out accuracy on examples/models/digits_test.json (360 samples); errors on 256 generated samples."
  echo
  java -cp "$CP" dev.maas.runtime.bench.CompressionBenchmark examples/models "$PWD/$OUT/compress-work" 2>/dev/null
} | tee "$OUT/compression.md"
