#!/usr/bin/env bash
# Checks the capacity model of docs/capacity.md against a scaled-down pipeline on this machine (CapacityCheck):
# a simulated fleet -> Kafka -> the Sluice sink -> ClickHouse, and -> the aggregator runner -> DynamoDB Local,
# each in its own process; prints predicted and measured CPU seconds and write counts.
# Usage: bench/run-capacity-check.sh [devices] [hz] [seconds] [batchWindowSeconds] [maxBatchReadings]
#   (default: 10000 1 90 10 100000; maxBatchReadings at most 100000, the runner's --max-poll-records limit)
# Run it under the shared lock on a shared machine: flock /work/.heavy.lock nice -n 5 bench/run-capacity-check.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Build inside the reactor (package, never install: ~/.m2 is shared).
./mvnw -B -q -DskipTests package -pl sluice-bench -am
mkdir -p .work/logs
exec java -Xmx2g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile="$ROOT/etc/log4j2-cli.xml" -Dsluice.logdir="$ROOT/.work/logs" \
  -Dsluice.plugin.zips="$ROOT/sluice-bench/target/plugin-zips" \
  -cp "$ROOT/sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt)" \
  io.sluice.bench.CapacityCheck "$@"
