#!/usr/bin/env bash
# What the sink's exactly-once safety work (issue 13) costs end to end: the sink built at an older commit against
# the sink built at HEAD, both installed in the same Connect worker, same stack, same topic, same table shape,
# exactly-once, one task per partition, same body compression, alternating order over a warm-up and measured
# rounds (SafetyCostBench): a fresh load, and a resume over a table that already holds half of the topic.
# Usage: bench/run-safety-cost.sh [old-commit] [rounds]     (default: 12b1571 3; the new build is HEAD, committed)
# Options as system properties in $BENCH_JAVA_OPTS: -Dsluice.bench.rows=3000000, -Dsluice.bench.compression=none
# (the old build knows none and gzip only), -Dsluice.bench.cases=fresh,resume. Run it under the shared lock on a
# shared machine: flock /work/.heavy.lock nice -n 5 bench/run-safety-cost.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OLD_REF="${1:-12b1571}"
ROUNDS="${2:-3}"
OLD_SHA="$(git rev-parse --short "$OLD_REF")"
NEW_SHA="$(git rev-parse --short HEAD)"
# Each build reports its own version, so one worker holds both and each connector picks one (KIP-891).
OLD_VERSION="0.1.0-old-$OLD_SHA"
NEW_VERSION="0.1.0-new-$NEW_SHA"
source "$ROOT/bench/lib/sink-builds.sh"
sink_trees_cleanup
trap sink_trees_cleanup EXIT
sink_build old "$OLD_REF" "$OLD_VERSION"
sink_build new HEAD "$NEW_VERSION"
ZIPS="$SINK_TREES/plugin-zips"
mkdir -p "$ZIPS"
cp "$(sink_zip old)" "$ZIPS/old-plugin.zip"
cp "$(sink_zip new)" "$ZIPS/new-plugin.zip"
./mvnw -B -q -o -DskipTests package -pl sluice-bench -am
mkdir -p .work/logs
echo "old: $OLD_REF $OLD_SHA, new: HEAD $NEW_SHA"
java -Xmx3g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile="$ROOT/etc/log4j2-cli.xml" -Dsluice.logdir="$ROOT/.work/logs" \
  -Dsluice.plugin.zips="$ZIPS" -Dsluice.bench.label.old="sink at $OLD_SHA" -Dsluice.bench.label.new="sink at $NEW_SHA" \
  -cp "$ROOT/sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt)" \
  io.sluice.bench.SafetyCostBench "$OLD_VERSION" "$NEW_VERSION" "$ROUNDS"
