package io.sluice.sink.clickhouse.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class TableBufferTest {

    private static final TableSchema SCHEMA = new TableSchema("default", "t", List.of(
            new Column("v", ClickHouseTypeParser.parse("UInt8"), false),
            new Column("s", ClickHouseTypeParser.parse("String"), true),
            new Column("_kafka_offset", ClickHouseTypeParser.parse("UInt64"), false)));

    private static SinkRecord rec(int partition, long offset, Map<String, Object> value) {
        return new SinkRecord("topic", partition, null, null, null, value, offset);
    }

    @Test
    void tracksFirstOffsetsAndSplitsShapesByOmittedDefaults() throws Exception {
        TableBuffer b = new TableBuffer(new RecordEncoder(SCHEMA, false), false);
        TopicPartition p0 = new TopicPartition("topic", 0);
        TopicPartition p1 = new TopicPartition("topic", 1);
        b.add(rec(0, 10, Map.of("v", 1L, "s", "x")), p0, 0);
        b.add(rec(1, 5, Map.of("v", 2L)), p1, 0);
        b.add(rec(0, 11, Map.of("v", 3L, "s", "y")), p0, 0);
        assertThat(b.rowCount()).isEqualTo(3);
        assertThat(b.firstOffset(p0)).isEqualTo(10);
        assertThat(b.firstOffset(p1)).isEqualTo(5);
        List<TableBuffer.Shape> shapes = b.nonEmptyShapes();
        assertThat(shapes).hasSize(2);
        assertThat(shapes.get(0).insertSql()).isEqualTo("INSERT INTO `default`.`t` (`v`, `s`, `_kafka_offset`) FORMAT RowBinary");
        assertThat(shapes.get(0).rowCount()).isEqualTo(2);
        assertThat(shapes.get(1).insertSql()).isEqualTo("INSERT INTO `default`.`t` (`v`, `_kafka_offset`) FORMAT RowBinary");
        assertThat(shapes.get(1).rowCount()).isEqualTo(1);
        b.clear();
        assertThat(b.rowCount()).isZero();
        assertThat(b.holds(p0)).isFalse();
    }

    @Test
    void dropRemovesTheRowsOfClosedPartitionsFromEveryShapeAndKeepsTheOthers() throws Exception {
        TableBuffer b = new TableBuffer(new RecordEncoder(SCHEMA, false), false);
        TopicPartition p0 = new TopicPartition("topic", 0);
        TopicPartition p1 = new TopicPartition("topic", 1);
        b.add(rec(0, 10, Map.of("v", 1L, "s", "x")), p0, 0);
        b.add(rec(1, 5, Map.of("v", 2L)), p1, 0);
        b.add(rec(1, 6, Map.of("v", 3L, "s", "y")), p1, 0);
        b.add(rec(0, 11, Map.of("v", 4L)), p0, 0);
        assertThat(b.drop(List.of(new TopicPartition("other", 0)))).isZero();
        assertThat(b.drop(List.of(p0))).isEqualTo(2);
        assertThat(b.rowCount()).isEqualTo(2);
        assertThat(b.holds(p0)).isFalse();
        assertThat(b.firstOffset(p1)).isEqualTo(5);
        assertThat(b.byteCount()).isEqualTo(b.nonEmptyShapes().stream().mapToLong(s -> s.rows().size()).sum());
        for (TableBuffer.Shape s : b.nonEmptyShapes()) {
            assertThat(s.rowCount()).isEqualTo(1);
            assertThat(s.partition(0)).isEqualTo(p1);
        }
        assertThat(b.drop(List.of(p1))).isEqualTo(2);
        assertThat(b.rowCount()).isZero();
        assertThat(b.ageMs(1_000)).isZero();
    }

    @Test
    void retainRowsKeepsExactlyTheSelectedRowBytes() throws Exception {
        TableBuffer b = new TableBuffer(new RecordEncoder(SCHEMA, false), false);
        TopicPartition p0 = new TopicPartition("topic", 0);
        for (int i = 0; i < 5; i++) {
            b.add(rec(0, 100 + i, Map.of("v", (long) i, "s", "row" + i)), p0, 0);
        }
        TableBuffer.Shape shape = b.nonEmptyShapes().get(0);
        byte[] all = Arrays.copyOf(shape.rows().array(), shape.rows().size());
        int rowBytes = all.length / 5; // every row is 1 + 5 + 8 bytes
        BitSet keep = new BitSet();
        keep.set(1);
        keep.set(3);
        assertThat(shape.retainRows(keep)).isEqualTo(3);
        assertThat(shape.rowCount()).isEqualTo(2);
        assertThat(shape.offset(0)).isEqualTo(101);
        assertThat(shape.offset(1)).isEqualTo(103);
        byte[] kept = Arrays.copyOf(shape.rows().array(), shape.rows().size());
        byte[] expected = new byte[2 * rowBytes];
        System.arraycopy(all, rowBytes, expected, 0, rowBytes);
        System.arraycopy(all, 3 * rowBytes, expected, rowBytes, rowBytes);
        assertThat(kept).isEqualTo(expected);
    }

    @Test
    void keptRecordsFollowTheirRowsThroughSlicesAndRetainRows() throws Exception {
        TableBuffer b = new TableBuffer(new RecordEncoder(SCHEMA, false), true);
        TopicPartition p0 = new TopicPartition("topic", 0);
        List<SinkRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) { // past the initial capacity of 1,024 rows
            SinkRecord r = rec(0, i, Map.of("v", (long) i % 200, "s", "row" + i));
            records.add(r);
            b.add(r, p0, 0);
        }
        TableBuffer.Shape shape = b.detach().nonEmptyShapes().get(0);
        TableBuffer.Shape slice = shape.slice(1_000, 1_500);
        assertThat(slice.rowCount()).isEqualTo(500);
        assertThat(slice.insertSql()).isEqualTo(shape.insertSql());
        for (int i = 0; i < 500; i++) {
            assertThat(slice.offset(i)).isEqualTo(1_000 + i);
            assertThat(slice.record(i)).isSameAs(records.get(1_000 + i));
        }
        int start = 0;
        for (int i = 0; i < 1_000; i++) {
            start += 1 + 1 + ("row" + i).length() + 8;
        }
        byte[] expected = Arrays.copyOfRange(shape.rows().array(), start, start + slice.rows().size());
        assertThat(Arrays.copyOf(slice.rows().array(), slice.rows().size())).isEqualTo(expected);
        BitSet keep = new BitSet();
        keep.set(7);
        slice.retainRows(keep);
        assertThat(slice.record(0)).isSameAs(records.get(1_007));
    }

    /**
     * Each row's partition, through runs of partitions (the same and equal TopicPartition instances), growth past
     * the initial capacity, a slice, retainRows, and a buffer recycled after an insert and filled again.
     */
    @Test
    void everyRowKeepsItsPartitionThroughSlicesRetainRowsAndRecycling() throws Exception {
        TableBuffer b = new TableBuffer(new RecordEncoder(SCHEMA, false), false);
        TopicPartition[] tps = {new TopicPartition("topic", 0), new TopicPartition("topic", 1),
            new TopicPartition("topic", 2)};
        java.util.Random rnd = new java.util.Random(5);
        for (int round = 0; round < 3; round++) {
            List<TopicPartition> expected = new java.util.ArrayList<>();
            int next = round == 0 ? 1 : 0;
            for (int i = 0; i < 3_000; i++) {
                if (rnd.nextInt(100) == 0) {
                    next = rnd.nextInt(3);
                }
                if (i == 2_999) {
                    next = 0;
                }
                // A new but equal instance at times, as the task makes one per run of a partition. The last row of
                // each round is tps[0] itself, and round 2 starts with it: the buffer recycled from round 0 (which
                // started with partition 1) then starts with the instance it ended with.
                TopicPartition tp = rnd.nextInt(4) == 0 && i > 0 && i < 2_999
                        ? new TopicPartition("topic", next) : tps[next];
                expected.add(tp);
                b.add(rec(next, i, Map.of("v", 1L, "s", "x")), tp, 0);
            }
            TableBuffer.Batch batch = b.detach();
            TableBuffer.Shape shape = batch.nonEmptyShapes().get(0);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(shape.partition(i)).as("row %d of round %d", i, round).isEqualTo(expected.get(i));
            }
            TableBuffer.Shape slice = shape.slice(1_000, 2_000);
            BitSet keep = new BitSet();
            for (int i = 0; i < expected.size(); i += 3) {
                keep.set(i);
            }
            shape.retainRows(keep);
            for (int i = 0; i < 1_000; i++) {
                assertThat(slice.partition(i)).isEqualTo(expected.get(1_000 + i));
                assertThat(shape.partition(i)).isEqualTo(expected.get(3 * i));
            }
            b.recycle(batch); // its arrays are filled again two rounds on
        }
    }
}
