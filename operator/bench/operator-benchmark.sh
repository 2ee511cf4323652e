#!/usr/bin/env bash
# Operator scale benchmark on a real control plane (e2e/local-cluster.sh's binaries; built when
# missing): N ModelDeployments, added in steps (default 1000,2500,5000), the operator jar as its
# own process. Prints markdown tables (writes, memory by step); also bench-results/operator.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000,2500,5000}
OUT=bench-results
mkdir -p "$OUT"
mvn -B -q -DskipTests package -pl operator -am
mvn -B -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/operator-classpath.txt" >/dev/null
CP="operator/target/test-classes:operator/target/classes:$(cat "$OUT/operator-classpath.txt")"
java -Xmx1g -cp "$CP" dev.maas.operator.bench.OperatorBenchmark "$PWD" operator/target/maas-operator.jar "$N" 2>"$OUT/operator-benchmark.err" |
  grep -E '^\||^Operator|^$' | tee "$OUT/operator.md"
