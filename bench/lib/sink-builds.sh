# Sourced by the bench scripts that compare sink builds of two commits in one run. Builds the sink at a commit in
# a throwaway git worktree under .work/bench-sink-trees (tests skipped, offline, package only: never install,
# so no Maven repository sees these builds). The trees are removed when the calling script exits.
# Needs: ROOT (repository root). Set MAVEN_ARGS to choose the Maven local repository.
SINK_TREES="$ROOT/.work/bench-sink-trees"

sink_trees_cleanup() {
  local t
  for t in "$SINK_TREES"/*/; do
    [ -d "$t" ] && git -C "$ROOT" worktree remove --force "$t" >/dev/null 2>&1 || true
  done
  rm -rf "$SINK_TREES"
  git -C "$ROOT" worktree prune
}

# sink_build NAME REF [VERSION]: checks REF out as $SINK_TREES/NAME and packages sluice-clickhouse-sink there.
# With VERSION, the build reports that version (Connector.version(), the plugin zip's directory) instead of the
# project version, so that a Connect worker can hold two builds side by side and a connector can pick one
# (connector.plugin.version, KIP-891). Prints nothing; see sink_jar and sink_zip.
sink_build() {
  local name="$1" ref="$2" version="${3:-}" tree="$SINK_TREES/$1"
  mkdir -p "$SINK_TREES"
  git -C "$ROOT" worktree add -f --detach "$tree" "$ref" >/dev/null
  if [ -n "$version" ]; then
    sed -i "s/^version=.*/version=$version/" "$tree/sluice-clickhouse-sink/src/main/resources/sluice-sink-version.properties"
    sed -i "s#<baseDirectory>.*</baseDirectory>#<baseDirectory>sluice-clickhouse-sink-$version</baseDirectory>#" \
      "$tree/sluice-clickhouse-sink/src/main/assembly/plugin.xml"
  fi
  (cd "$tree" && ./mvnw -B -q -o -Dmaven.test.skip=true package -pl sluice-clickhouse-sink >&2)
}

# sink_jar NAME: prints the path of the sink jar built by sink_build NAME.
sink_jar() {
  ls "$SINK_TREES/$1"/sluice-clickhouse-sink/target/sluice-clickhouse-sink-*.jar | grep -v -- '-sources' | head -n1
}

# sink_zip NAME: prints the path of the sink's Connect plugin zip built by sink_build NAME.
sink_zip() {
  ls "$SINK_TREES/$1"/sluice-clickhouse-sink/target/sluice-clickhouse-sink-*-plugin.zip | head -n1
}
