# Builds sluice-bench inside the reactor (package, never install: ~/.m2 is shared) and runs one of its main classes
# as a child process (so the caller's EXIT trap still runs after it).
# Usage (sourced, from the repository root): bench_java HEAP CLASS [args...]. The Connect worker loads the plugin
# zips in $BENCH_PLUGIN_ZIPS (default: the ones sluice-bench depends on, sluice-bench/target/plugin-zips).
bench_java() {
  local heap=$1 class=$2
  shift 2
  ./mvnw -B -q -DskipTests package -pl sluice-bench -am
  mkdir -p .work/logs
  java "-Xmx$heap" ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile="$ROOT/etc/log4j2-cli.xml" \
    -Dsluice.logdir="$ROOT/.work/logs" -Dsluice.plugin.zips="${BENCH_PLUGIN_ZIPS:-$ROOT/sluice-bench/target/plugin-zips}" \
    -cp "$ROOT/sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt)" "$class" "$@"
}
