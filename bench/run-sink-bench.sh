#!/usr/bin/env bash
# The Sluice sink against ClickHouse's Kafka table engine, a plain-consumer ceiling and ClickHouse's HTTP ingest:
# same topic, same stack, same run, alternating order over measured rounds after a warm-up (SinkThroughputBench).
# Usage: bench/run-sink-bench.sh [shapes] [rounds] [partitions]     (default: sensor,wide 3 2)
# Options as system properties in $BENCH_JAVA_OPTS, for example -Dsluice.bench.rows.sensor=3000000,
# -Dsluice.bench.compressions=none,gzip,lz4, -Dsluice.bench.capMbit=200, -Dsluice.bench.sink.<option>=<value>,
# or a JFR recording. Run it under the shared lock on a shared machine: flock /work/.heavy.lock nice -n 5 ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib/bench-java.sh"
bench_java 3g io.sluice.bench.SinkThroughputBench "$@"
