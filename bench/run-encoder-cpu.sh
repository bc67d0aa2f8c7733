#!/usr/bin/env bash
# The sink encoder's CPU time per row (sluice-jmh EncoderCpuTime: thread CPU clock, steadier than JMH's wall clock
# on a shared machine). With ENCODER_BASELINE=<commit>, the same modules are built at that commit in a throwaway
# worktree and both builds run in one JVM, alternating one-second blocks: before and after in the same run.
# Usage: [ENCODER_BASELINE=<commit>] bench/run-encoder-cpu.sh [shapes] [input] [pairs] [warmup-seconds]
#        (defaults: sensor,wide bytes 10 8; shapes and inputs as in EncoderBenchmark)
# Run it under the shared lock on a shared machine: flock /work/.heavy.lock nice -n 5 ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Build inside the reactor (package, never install: ~/.m2 is shared).
./mvnw -B -q -DskipTests package -pl sluice-jmh -am
BASE_CP=""
if [ -n "${ENCODER_BASELINE:-}" ]; then
  TREE="$ROOT/.work/encoder-baseline"
  git worktree remove --force "$TREE" >/dev/null 2>&1 || true
  trap 'git -C "$ROOT" worktree remove --force "$TREE" >/dev/null 2>&1 || true' EXIT
  git worktree add -f --detach "$TREE" "$ENCODER_BASELINE" >/dev/null
  (cd "$TREE" && ./mvnw -B -q -o -DskipTests package -pl sluice-jmh -am >&2)
  BASE_CP="$TREE/sluice-jmh/target/classes:$(cat "$TREE/sluice-jmh/target/classpath.txt")"
fi
for shape in $(echo "${1:-sensor,wide}" | tr ',' ' '); do
  java -cp "$ROOT/sluice-jmh/target/classes:$(cat sluice-jmh/target/classpath.txt)" io.sluice.jmh.EncoderCpuTime \
    "$shape" "${2:-bytes}" "${3:-10}" "${4:-8}" ${BASE_CP:+"$BASE_CP"}
done
