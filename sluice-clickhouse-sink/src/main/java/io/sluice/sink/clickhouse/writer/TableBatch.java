package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.RowBinaryBuffer;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The rows buffered for one table, already encoded as RowBinary, waiting to be inserted as one batch.
 *
 * <p>Rows are encoded when they arrive, so a record that cannot be encoded is rejected alone and a batch never
 * holds a partial row. Rows normally share one column list; rows that leave out a column with a {@code DEFAULT}
 * expression form another "shape" with its own column list and insert. The batch also tracks, per Kafka
 * partition, the lowest buffered offset, so the task never commits past an unwritten row.
 */
public final class TableBatch {

    /** Rows with the same column list, and their RowBinary bytes. */
    public static final class Shape {
        private final String insertSql;
        private final RowBinaryBuffer rows;
        private int rowCount;

        Shape(String insertSql, int initialBytes) {
            this.insertSql = insertSql;
            this.rows = new RowBinaryBuffer(initialBytes);
        }

        /** Returns {@code INSERT INTO db.t (columns) FORMAT RowBinary} for this shape. */
        public String insertSql() {
            return insertSql;
        }

        /** Returns the encoded rows. */
        public RowBinaryBuffer rows() {
            return rows;
        }

        /** Returns the number of rows. */
        public int rowCount() {
            return rowCount;
        }
    }

    private final RecordEncoder encoder;
    private final Map<BitSet, Shape> shapes = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private final BitSet scratchOmitted = new BitSet();
    private final RowBinaryBuffer scratch = new RowBinaryBuffer(1024);
    private Shape fullShape;
    private int rows;
    private long startedAtMs = -1;

    /** @param encoder encoder for the table's current schema */
    public TableBatch(RecordEncoder encoder) {
        this.encoder = encoder;
    }

    /** Returns the target table. */
    public TableSchema schema() {
        return encoder.schema();
    }

    /**
     * Encodes and buffers one record.
     *
     * @param record the record
     * @param nowMs  current time in milliseconds, to age the batch
     * @throws RecordEncodingException if the record cannot become a row; nothing is buffered then
     */
    public void add(SinkRecord record, long nowMs) throws RecordEncodingException {
        if (fullShape == null) {
            fullShape = new Shape(insertSql(new BitSet()), 64 * 1024);
            shapes.put(new BitSet(), fullShape);
        }
        // Encode straight into the common shape; move the row only in the rare case that columns were omitted.
        int before = fullShape.rows.size();
        encoder.encode(record, fullShape.rows, scratchOmitted);
        if (scratchOmitted.isEmpty()) {
            fullShape.rowCount++;
        } else {
            scratch.reset();
            scratch.append(fullShape.rows, before, fullShape.rows.size());
            fullShape.rows.truncate(before);
            Shape s = shapes.computeIfAbsent((BitSet) scratchOmitted.clone(), k -> new Shape(insertSql(k), 4096));
            s.rows.append(scratch, 0, scratch.size());
            s.rowCount++;
        }
        rows++;
        if (startedAtMs < 0) {
            startedAtMs = nowMs;
        }
        firstOffsets.putIfAbsent(new TopicPartition(record.topic(), record.kafkaPartition()), record.kafkaOffset());
    }

    private String insertSql(BitSet omitted) {
        List<String> cols = new ArrayList<>();
        List<Column> columns = encoder.schema().columns();
        for (int i = 0; i < columns.size(); i++) {
            if (!omitted.get(i)) {
                cols.add(Sql.quoteIdentifier(columns.get(i).name()));
            }
        }
        return "INSERT INTO " + encoder.schema().qualifiedName() + " (" + String.join(", ", cols) + ") FORMAT RowBinary";
    }

    /** Returns the shapes with at least one row. */
    public List<Shape> nonEmptyShapes() {
        List<Shape> r = new ArrayList<>();
        for (Shape s : shapes.values()) {
            if (s.rowCount > 0) {
                r.add(s);
            }
        }
        return r;
    }

    /** Returns the number of buffered rows. */
    public int rowCount() {
        return rows;
    }

    /** Returns the number of buffered bytes (RowBinary, uncompressed). */
    public long byteCount() {
        long n = 0;
        for (Shape s : shapes.values()) {
            n += s.rows.size();
        }
        return n;
    }

    /** Returns the age of the oldest buffered row in milliseconds, or 0 when empty. */
    public long ageMs(long nowMs) {
        return startedAtMs < 0 ? 0 : nowMs - startedAtMs;
    }

    /** Returns the lowest buffered offset of a partition, or {@code null} when none is buffered. */
    public Long firstOffset(TopicPartition tp) {
        return firstOffsets.get(tp);
    }

    /** Returns true if rows of the partition are buffered. */
    public boolean holds(TopicPartition tp) {
        return firstOffsets.containsKey(tp);
    }

    /** Forgets all rows after a successful insert, keeping buffers for reuse. */
    public void clear() {
        for (Shape s : shapes.values()) {
            s.rows.reset();
            s.rowCount = 0;
        }
        firstOffsets.clear();
        rows = 0;
        startedAtMs = -1;
    }
}
