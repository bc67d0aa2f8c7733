package io.sluice.sink.clickhouse.task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** A SinkTaskContext that records pauses, resumes and offset resets, with a fixed assignment. */
final class RecordingContext implements SinkTaskContext {
    final Set<TopicPartition> assignment;
    final Set<TopicPartition> paused = new LinkedHashSet<>();
    final List<String> calls = new ArrayList<>();
    final Map<TopicPartition, Long> offsets = new HashMap<>();
    long timeoutMs = -1;

    RecordingContext(Set<TopicPartition> assignment) {
        this.assignment = assignment;
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        this.offsets.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        offsets.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
        paused.addAll(List.of(partitions));
        calls.add("pause " + List.of(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
        List.of(partitions).forEach(paused::remove);
        calls.add("resume " + List.of(partitions));
    }

    @Override
    public void requestCommit() {
    }
}
