#!/usr/bin/env bash
# CDC benchmark: commit-to-visible latency and change rate of MariaDB -> Debezium -> Kafka -> sink -> ClickHouse,
# next to Debezium alone on the same binlog, same run, one load step per rate.
# Usage: bench/run-cdc-bench.sh [seconds per step] [rates, e.g. 100,400,800] [threads] [source.K=V,sink.K=V,...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -DskipTests package -pl sluice-bench -am
mkdir -p .work/logs
exec java -Xmx3g -Dlog4j2.configurationFile="$ROOT/etc/log4j2-cli.xml" -Dsluice.logdir="$ROOT/.work/logs" \
  -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager \
  -Dlog4j2.julLoggerAdapter=org.apache.logging.log4j.jul.CoreLoggerAdapter \
  -Dsluice.plugin.zips="$ROOT/sluice-bench/target/plugin-zips" \
  -cp "$ROOT/sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt)" \
  io.sluice.bench.CdcBench "$@"
