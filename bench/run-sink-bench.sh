#!/usr/bin/env bash
# Sink throughput vs ClickHouse's own HTTP ingest, same run, same server.
# Usage: bench/run-sink-bench.sh [rows] [partitions] [batch] [shape]   (shape: sensor | wide)
# Extra JVM options (for example a JFR recording) go in $BENCH_JAVA_OPTS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Build inside the reactor (package, never install: ~/.m2 is shared).
./mvnw -B -q -DskipTests package -pl sluice-bench -am
mkdir -p .work/logs
exec java -Xmx3g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile="$ROOT/etc/log4j2-cli.xml" -Dsluice.logdir="$ROOT/.work/logs" \
  -Dsluice.plugin.zips="$ROOT/sluice-bench/target/plugin-zips" \
  -cp "$ROOT/sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt)" \
  io.sluice.bench.SinkThroughputBench "$@"
