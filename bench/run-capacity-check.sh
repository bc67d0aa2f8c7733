#!/usr/bin/env bash
# Checks the capacity model of docs/capacity.md against a scaled-down pipeline on this machine (CapacityCheck):
# a simulated fleet -> Kafka -> the Sluice sink -> ClickHouse, and -> the aggregator runner -> DynamoDB Local,
# each in its own process; prints predicted and measured CPU seconds and write counts.
# Usage: bench/run-capacity-check.sh [devices] [hz] [seconds] [batchWindowSeconds] [maxBatchReadings] [commitIntervalMs]
#          [lingerMs]
#   (default: 10000 1 90 10 100000 1000 25; maxBatchReadings at most 100000, the runner's --max-poll-records limit;
#   commitIntervalMs is the Connect worker's offset.flush.interval.ms, which sets one empty poll, so one insert, per
#   commit per sink task; lingerMs is the producer's linger.ms)
# Run it under the shared lock on a shared machine: flock /work/.heavy.lock nice -n 5 bench/run-capacity-check.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib/bench-java.sh"
bench_java 2g io.sluice.bench.CapacityCheck "$@"
