#!/usr/bin/env bash
# JMH benchmark of the sink's encoder (rows/s). Usage: bench/run-encoder-jmh.sh [JMH options, e.g. -p shape=wide]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Build inside the reactor (package, never install: ~/.m2 is shared).
./mvnw -B -q -DskipTests package -pl sluice-jmh -am
exec java -cp "$ROOT/sluice-jmh/target/classes:$(cat sluice-jmh/target/classpath.txt)" org.openjdk.jmh.Main \
  io.sluice.jmh.EncoderBenchmark "$@"
