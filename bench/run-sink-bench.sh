#!/usr/bin/env bash
# The Sluice sink against ClickHouse's Kafka table engine, a plain-consumer ceiling and ClickHouse's HTTP ingest:
# same topic, same stack, same run, alternating order over measured rounds after a warm-up (SinkThroughputBench).
# Usage: bench/run-sink-bench.sh [shapes] [rounds] [partitions]     (default: sensor,wide 3 2)
# Options as system properties in $BENCH_JAVA_OPTS, for example -Dsluice.bench.rows.sensor=3000000,
# -Dsluice.bench.compressions=none,gzip,lz4, -Dsluice.bench.capMbit=200, -Dsluice.bench.sink.<option>=<value>,
# or a JFR recording. Run it under the shared lock on a shared machine: flock /work/.heavy.lock nice -n 5 ...
# With SINK_BASELINE=<commit>, the sink is built at that commit and at HEAD (committed), each stamped with its own
# plugin version, and both run as sink contenders in the same worker (connector.plugin.version, KIP-891), each
# with every entry of $SINK_COMPRESSIONS (default lz4; an entry may carry sink options, as in
# "lz4;consumer.override.max.partition.fetch.bytes=1048576"): before and after in the same run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib/bench-java.sh"
if [ -n "${SINK_BASELINE:-}" ]; then
  source "$ROOT/bench/lib/sink-builds.sh"
  BASE_VERSION="0.1.0-base-$(git rev-parse --short "$SINK_BASELINE")"
  HEAD_VERSION="0.1.0-head-$(git rev-parse --short HEAD)"
  sink_trees_cleanup
  trap sink_trees_cleanup EXIT
  sink_build base "$SINK_BASELINE" "$BASE_VERSION"
  sink_build head HEAD "$HEAD_VERSION"
  BENCH_PLUGIN_ZIPS="$SINK_TREES/plugin-zips"
  mkdir -p "$BENCH_PLUGIN_ZIPS"
  cp "$(sink_zip base)" "$BENCH_PLUGIN_ZIPS/base-plugin.zip"
  cp "$(sink_zip head)" "$BENCH_PLUGIN_ZIPS/head-plugin.zip"
  COMPRESSIONS=""
  for c in $(echo "${SINK_COMPRESSIONS:-lz4}" | tr ',' ' '); do
    COMPRESSIONS+="${COMPRESSIONS:+,}$c;connector.plugin.version=$BASE_VERSION,$c;connector.plugin.version=$HEAD_VERSION"
  done
  BENCH_JAVA_OPTS="-Dsluice.bench.compressions=$COMPRESSIONS ${BENCH_JAVA_OPTS:-}"
  export BENCH_PLUGIN_ZIPS BENCH_JAVA_OPTS
  echo "baseline: $SINK_BASELINE = plugin $BASE_VERSION; HEAD = plugin $HEAD_VERSION"
fi
bench_java 3g io.sluice.bench.SinkThroughputBench "$@"
