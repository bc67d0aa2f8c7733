#!/usr/bin/env bash
# Compares the sink task's put() between an older commit and the working tree, in one run (TaskPutComparison).
# Usage: bench/run-task-put-comparison.sh <old-commit> [records per round] [rounds]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OLD_REF="${1:?usage: $0 <old-commit> [records] [rounds]}"
shift
OLD_TREE="$ROOT/.work/bench-old-sink"
rm -rf "$OLD_TREE"
git worktree add -f --detach "$OLD_TREE" "$OLD_REF" >/dev/null
trap 'git worktree remove --force "$OLD_TREE" >/dev/null 2>&1 || true' EXIT
# Build inside each tree (package, never install: ~/.m2 is shared).
(cd "$OLD_TREE" && ./mvnw -B -q -o -Dmaven.test.skip=true package -pl sluice-clickhouse-sink)
./mvnw -B -q -o -Dmaven.test.skip=true package -pl sluice-jmh -am
OLD_JAR="$(ls "$OLD_TREE"/sluice-clickhouse-sink/target/sluice-clickhouse-sink-*.jar | grep -v -- '-sources' | head -n1)"
NEW_JAR="$(ls "$ROOT"/sluice-clickhouse-sink/target/sluice-clickhouse-sink-*.jar | grep -v -- '-sources' | head -n1)"
# The sink must come only from the jars under comparison, so it is left off the parent class path.
CP="$(tr ':' '\n' < sluice-jmh/target/classpath.txt | grep -v 'sluice-clickhouse-sink' | paste -sd: -)"
echo "old: $OLD_REF ($OLD_JAR)"
echo "new: working tree $(git rev-parse --short HEAD) ($NEW_JAR)"
java -Xmx2g -cp "$ROOT/sluice-jmh/target/classes:$CP" io.sluice.jmh.TaskPutComparison "$OLD_JAR" "$NEW_JAR" "$@"
