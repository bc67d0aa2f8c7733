#!/usr/bin/env bash
# Sink throughput vs ClickHouse's own HTTP ingest, same run, same server. Usage: bench/run-sink-bench.sh [rows] [partitions] [batch]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests install -pl sluice-bench -am
mkdir -p .work/logs
exec java -Xmx3g -Dlog4j2.configurationFile="$ROOT/etc/log4j2-cli.xml" -Dsluice.logdir="$ROOT/.work/logs" \
  -Dsluice.plugin.zips="$ROOT/sluice-bench/target/plugin-zips" \
  -cp "$ROOT/sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt)" \
  io.sluice.bench.SinkThroughputBench "$@"
