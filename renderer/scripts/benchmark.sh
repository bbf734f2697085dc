#!/usr/bin/env bash
# Runs the renderer benchmark (io.truffles.renderer.bench.RenderBenchmark) on the reactor's freshly compiled classes.
#   renderer/scripts/benchmark.sh "a,b,c" "5,10" "a" "1.0,0.5"
# sessions (a: 80 s always active, b: 15 min with idle gaps, c: 60 min), frame rates, sessions to also play in real
# time as the baseline (that takes as long as the session), capture scales (renderer.capture-scale).
# BENCH_OPTS="-Dbench.slice-minutes=15 -Dbench.baseline-seconds=60" times only the first 15 min of (c) and the first
# 60 s of each real-time baseline; the output says so on every such line.
# Not part of ./mvnw verify: the classes are compiled by test-compile and run here.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -pl renderer -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
  -Dmdep.includeScope=test >/dev/null
# -Xmx: the renderer service's JVM heap is bounded too; its RSS is part of the figures.
exec java -Xmx384m ${BENCH_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "renderer/target/test-classes:renderer/target/classes:core/target/classes:core/target/test-classes:$(cat "$cp_file")" \
  io.truffles.renderer.bench.RenderBenchmark "${1:-a,b,c}" "${2:-5,10}" "${3:-a}" "${4:-1.0}"
