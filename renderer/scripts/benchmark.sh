#!/usr/bin/env bash
# Runs the renderer benchmark (io.truffles.renderer.bench.RenderBenchmark) on the reactor's freshly compiled classes.
#   renderer/scripts/benchmark.sh "a,b,c" "5,10" "a"
# sessions (a: 80 s always active, b: 15 min with idle gaps, c: 60 min), frame rates, sessions to also play in real
# time as the baseline (that takes as long as the session).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -pl renderer -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
  -Dmdep.includeScope=test >/dev/null
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "renderer/target/test-classes:renderer/target/classes:core/target/classes:core/target/test-classes:$(cat "$cp_file")" \
  io.truffles.renderer.bench.RenderBenchmark "${1:-a,b,c}" "${2:-5,10}" "${3:-a}"
