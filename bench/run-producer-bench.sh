#!/usr/bin/env bash
# `sluice produce` against kafka-producer-perf-test's send loop: same readings, same client settings, same broker,
# same run, alternating order after a warm-up (module sluice-bench, class ProducerBench).
# Usage: bench/run-producer-bench.sh [readings] [rounds] [partitions]     (default: 2000000 3 2)
# Run it under the shared lock on a shared machine: flock /work/.heavy.lock nice -n 5 ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Build inside the reactor (package, never install: ~/.m2 is shared).
./mvnw -B -q -DskipTests package -pl sluice-bench -am
mkdir -p .work/logs
exec java -Xmx2g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile="$ROOT/etc/log4j2-cli.xml" -Dsluice.logdir="$ROOT/.work/logs" \
  -cp "$ROOT/sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt)" \
  io.sluice.bench.ProducerBench "$@"
