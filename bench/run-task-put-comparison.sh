#!/usr/bin/env bash
# Compares the sink task's put() between two commits of the sink, in one run (TaskPutComparison).
# Usage: bench/run-task-put-comparison.sh <old-commit> <new-commit> [records per round] [rounds]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OLD_REF="${1:?usage: $0 <old-commit> <new-commit> [records] [rounds]}"
NEW_REF="${2:?usage: $0 <old-commit> <new-commit> [records] [rounds]}"
shift 2
TREES="$ROOT/.work/bench-sink-trees"
rm -rf "$TREES"
cleanup() {
  git worktree remove --force "$TREES/old" >/dev/null 2>&1 || true
  git worktree remove --force "$TREES/new" >/dev/null 2>&1 || true
}
trap cleanup EXIT
jar() {
  git worktree add -f --detach "$TREES/$1" "$2" >/dev/null
  # Package inside the tree, never install: ~/.m2 is shared.
  (cd "$TREES/$1" && ./mvnw -B -q -o -Dmaven.test.skip=true package -pl sluice-clickhouse-sink >&2)
  ls "$TREES/$1"/sluice-clickhouse-sink/target/sluice-clickhouse-sink-*.jar | grep -v -- '-sources' | head -n1
}
OLD_JAR="$(jar old "$OLD_REF")"
NEW_JAR="$(jar new "$NEW_REF")"
./mvnw -B -q -o -Dmaven.test.skip=true package -pl sluice-jmh -am
# The sink must come only from the jars under comparison, so it is left off the parent class path.
CP="$(tr ':' '\n' < sluice-jmh/target/classpath.txt | grep -v 'sluice-clickhouse-sink' | paste -sd: -)"
echo "old: $OLD_REF $(git rev-parse --short "$OLD_REF")"
echo "new: $NEW_REF $(git rev-parse --short "$NEW_REF")"
java -Xmx2g -cp "$ROOT/sluice-jmh/target/classes:$CP" io.sluice.jmh.TaskPutComparison "$OLD_JAR" "$NEW_JAR" "$@"
