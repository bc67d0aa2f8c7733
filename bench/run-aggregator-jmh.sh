#!/usr/bin/env bash
# JMH benchmark of the aggregator core on one thread (readings/s, exactly-once bookkeeping, no network).
# Usage: bench/run-aggregator-jmh.sh [JMH options, e.g. -p batch=1000 -prof gc]
# Run it under the shared lock on a shared machine: flock /work/.heavy.lock nice -n 5 ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Build inside the reactor (package, never install: ~/.m2 is shared).
./mvnw -B -q -DskipTests package -pl sluice-jmh -am
exec java -cp "$ROOT/sluice-jmh/target/classes:$(cat sluice-jmh/target/classpath.txt)" org.openjdk.jmh.Main \
  io.sluice.jmh.AggregatorCoreBenchmark "$@"
