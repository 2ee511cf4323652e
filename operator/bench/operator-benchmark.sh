#!/usr/bin/env bash
# Operator scale benchmark: N ModelDeployments (default 1000) against the apply-aware fabric8 mock
# API server. Prints one markdown table; also bench-results/operator.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000}
OUT=bench-results
mkdir -p "$OUT"
mvn -B -q -DskipTests test-compile -pl operator -am
mvn -B -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$OUT/operator-classpath.txt" >/dev/null
CP="operator/target/test-classes:operator/target/classes:$(cat "$OUT/operator-classpath.txt")"
java -Xmx1g -cp "$CP" dev.maas.operator.bench.OperatorBenchmark "$N" 2>/dev/null | grep -E '^\||^Operator benchmark|^$' | tee "$OUT/operator.md"
