#!/usr/bin/env bash
# Compares the sink task's put() between two commits of the sink, in one run (TaskPutComparison).
# Usage: bench/run-task-put-comparison.sh <old-commit> <new-commit> [records per round] [rounds]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OLD_REF="${1:?usage: $0 <old-commit> <new-commit> [records] [rounds]}"
NEW_REF="${2:?usage: $0 <old-commit> <new-commit> [records] [rounds]}"
shift 2
source "$ROOT/bench/lib/sink-builds.sh"
sink_trees_cleanup
trap sink_trees_cleanup EXIT
sink_build old "$OLD_REF"
sink_build new "$NEW_REF"
OLD_JAR="$(sink_jar old)"
NEW_JAR="$(sink_jar new)"
./mvnw -B -q -o -Dmaven.test.skip=true package -pl sluice-jmh -am
# The sink must come only from the jars under comparison, so it is left off the parent class path.
CP="$(tr ':' '\n' < sluice-jmh/target/classpath.txt | grep -v 'sluice-clickhouse-sink' | paste -sd: -)"
echo "old: $OLD_REF $(git rev-parse --short "$OLD_REF")"
echo "new: $NEW_REF $(git rev-parse --short "$NEW_REF")"
java -Xmx2g -cp "$ROOT/sluice-jmh/target/classes:$CP" io.sluice.jmh.TaskPutComparison "$OLD_JAR" "$NEW_JAR" "$@"
