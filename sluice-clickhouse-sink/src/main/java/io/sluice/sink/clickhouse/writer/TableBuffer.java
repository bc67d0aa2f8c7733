package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The rows buffered for one table, already encoded as RowBinary, until they go to be inserted as one
 * {@link Batch} ({@link #detach}). The task keeps one buffer per table.
 *
 * <p>Rows are encoded when they arrive, so a record that cannot be encoded is rejected alone and a batch never
 * holds a partial row. Rows normally share one column list; rows that leave out a column with a {@code DEFAULT}
 * expression form another {@link Shape} with its own column list and insert. Each row's Kafka partition, offset and
 * byte range are kept, so that after an insert with an unknown outcome the rows that did land can be removed
 * before retrying ({@link Shape#retainRows}). The batch also tracks, per partition, the lowest buffered offset,
 * so the task never commits past an unwritten row.
 *
 * <p>When errors are tolerated, each row also keeps its SinkRecord, so that a row the server refuses can be
 * dead-lettered as its record ({@link Shape#record}). That costs one reference per row and keeps the records
 * (their key, value and headers as the converter made them) alive until the batch's insert ends, instead of only
 * until they are encoded: about the size of the records again on top of the RowBinary bytes.
 */
public final class TableBuffer {

    /**
     * Rows with the same column list: their RowBinary bytes and, per row, the Kafka coordinates, end position and
     * (when kept) SinkRecord.
     */
    public static final class Shape {
        private final String insertSql;
        private RowBinaryBuffer rows;
        private int rowCount;
        private int[] rowEnds = new int[1024];
        /**
         * Per row, its partition's index in {@link #partitionTable}: an int rather than a reference, so adding a row
         * stores no reference into these long-lived arrays (no garbage-collector write barrier per row), and
         * clearing them writes nothing.
         */
        private int[] partitionIds = new int[1024];
        private final List<TopicPartition> partitionTable = new ArrayList<>();
        private final Map<TopicPartition, Integer> partitionIndex = new HashMap<>();
        /** The partition of the last row added and its index: rows come in runs of one partition. */
        private TopicPartition lastRowPartition;
        private int lastRowPartitionId;
        private long[] offsets = new long[1024];
        /** The rows' records, or {@code null} when they are not kept. */
        private SinkRecord[] records;

        Shape(String insertSql, int initialBytes, boolean keepRecords) {
            this.insertSql = insertSql;
            this.rows = new RowBinaryBuffer(initialBytes);
            this.records = keepRecords ? new SinkRecord[1024] : null;
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

        /** Returns the partition of row {@code i}. */
        public TopicPartition partition(int i) {
            return partitionTable.get(partitionIds[i]);
        }

        /** Returns the offset of row {@code i}. */
        public long offset(int i) {
            return offsets[i];
        }

        /** Returns the record of row {@code i}, or {@code null} when records are not kept (errors not tolerated). */
        public SinkRecord record(int i) {
            return records == null ? null : records[i];
        }

        void addRow(TopicPartition tp, long offset, SinkRecord record) {
            if (rowCount == rowEnds.length) {
                grow(rowCount * 2);
            }
            rowEnds[rowCount] = rows.size();
            if (tp != lastRowPartition) {
                lastRowPartitionId = partitionIndex.computeIfAbsent(tp, k -> {
                    partitionTable.add(k);
                    return partitionTable.size() - 1;
                });
                lastRowPartition = tp;
            }
            partitionIds[rowCount] = lastRowPartitionId;
            offsets[rowCount] = offset;
            if (records != null) {
                records[rowCount] = record;
            }
            rowCount++;
        }

        /**
         * Returns a copy of rows {@code from} (inclusive) to {@code to} (exclusive) as a shape of its own, with the
         * same INSERT statement: a part of a refused insert, to be tried alone.
         */
        public Shape slice(int from, int to) {
            int start = from == 0 ? 0 : rowEnds[from - 1];
            Shape s = new Shape(insertSql, rowEnds[to - 1] - start, records != null);
            if (to - from > s.rowEnds.length) {
                s.grow(to - from);
            }
            s.rows.append(rows, start, rowEnds[to - 1]);
            s.partitionTable.addAll(partitionTable); // the same indexes (a slice takes no further rows)
            for (int i = from; i < to; i++) {
                s.rowEnds[s.rowCount] = rowEnds[i] - start;
                s.partitionIds[s.rowCount] = partitionIds[i];
                s.offsets[s.rowCount] = offsets[i];
                if (records != null) {
                    s.records[s.rowCount] = records[i];
                }
                s.rowCount++;
            }
            return s;
        }

        private void grow(int n) {
            rowEnds = Arrays.copyOf(rowEnds, n);
            partitionIds = Arrays.copyOf(partitionIds, n);
            offsets = Arrays.copyOf(offsets, n);
            if (records != null) {
                records = Arrays.copyOf(records, n);
            }
        }

        /**
         * Keeps only the rows for which {@code keep} is true, preserving order.
         *
         * @param keep rows to keep, indexed by row number
         * @return the number of rows removed
         */
        public int retainRows(BitSet keep) {
            RowBinaryBuffer kept = new RowBinaryBuffer(rows.size());
            int n = 0;
            for (int i = 0; i < rowCount; i++) {
                if (keep.get(i)) {
                    kept.append(rows, i == 0 ? 0 : rowEnds[i - 1], rowEnds[i]);
                    rowEnds[n] = kept.size();
                    partitionIds[n] = partitionIds[i];
                    offsets[n] = offsets[i];
                    if (records != null) {
                        records[n] = records[i];
                    }
                    n++;
                }
            }
            int removed = rowCount - n;
            if (records != null) {
                Arrays.fill(records, n, rowCount, null);
            }
            rows = kept;
            rowCount = n;
            return removed;
        }

        void clear() {
            rows.reset();
            rowCount = 0;
            partitionTable.clear();
            partitionIndex.clear();
            lastRowPartition = null;
            if (records != null) {
                Arrays.fill(records, null);
            }
        }
    }

    private RecordEncoder encoder;
    private final boolean keepRecords;
    private Map<BitSet, Shape> shapes = new LinkedHashMap<>();
    private Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private final BitSet scratchOmitted = new BitSet();
    private final RowBinaryBuffer scratch = new RowBinaryBuffer(1024);
    private Shape fullShape;
    /** The partition of the last row added; its first offset is already in {@link #firstOffsets}. */
    private TopicPartition lastPartition;
    private int rows;
    private long startedAtMs = -1;
    /** An inserted batch whose buffers {@link #detach} reuses. */
    private TableBuffer spare;

    /**
     * Rows taken from a table's buffer to be inserted together: read-only, owned by the insert until the buffer
     * takes it back ({@link TableBuffer#recycle}).
     */
    public static final class Batch {
        private final TableBuffer rows;

        private Batch(TableBuffer rows) {
            this.rows = rows;
        }

        /** Returns the target table. */
        public TableSchema schema() {
            return rows.schema();
        }

        /** Returns the shapes with at least one row; {@link Shape#retainRows} may drop rows that landed. */
        public List<Shape> nonEmptyShapes() {
            return rows.nonEmptyShapes();
        }

        /** Returns the number of rows. */
        public int rowCount() {
            return rows.rowCount();
        }

        /** Returns the number of bytes (RowBinary, uncompressed). */
        public long byteCount() {
            return rows.byteCount();
        }

        /** Returns the lowest offset of a partition in the batch, or {@code null}. */
        public Long firstOffset(TopicPartition tp) {
            return rows.firstOffset(tp);
        }

        /** Returns, per partition in the batch, its lowest offset. */
        public Map<TopicPartition, Long> firstOffsets() {
            return rows.firstOffsets();
        }

        /** Returns true if the batch holds rows of the partition. */
        public boolean holds(TopicPartition tp) {
            return rows.holds(tp);
        }
    }

    /**
     * @param encoder     encoder for the table's current schema
     * @param keepRecords whether each row keeps its SinkRecord ({@link Shape#record}), for the dead-letter queue:
     *                    true when errors are tolerated
     */
    public TableBuffer(RecordEncoder encoder, boolean keepRecords) {
        this.encoder = encoder;
        this.keepRecords = keepRecords;
    }

    /** Returns the target table. */
    public TableSchema schema() {
        return encoder.schema();
    }

    /**
     * Switches to an encoder for the table's changed schema (columns added or dropped).
     *
     * @throws IllegalStateException if rows are buffered: insert or drop them first
     */
    public void setEncoder(RecordEncoder encoder) {
        if (rows > 0) {
            throw new IllegalStateException(rows + " rows for " + schema() + " are still buffered");
        }
        this.encoder = encoder;
        shapes.clear();
        fullShape = null;
        spare = null; // its shapes are for the old columns
    }

    /**
     * Encodes and buffers one record.
     *
     * @param record the record; kept as the row's record when records are kept (a CDC row record made with
     *               {@code newRecord} still carries the consumed record, which Connect dead-letters)
     * @param tp     the record's topic partition (passed in to avoid allocating one per record)
     * @param nowMs  current time in milliseconds, to age the batch
     * @throws RecordEncodingException if the record cannot become a row; nothing is buffered then
     */
    public void add(SinkRecord record, TopicPartition tp, long nowMs) throws RecordEncodingException {
        if (fullShape == null) {
            fullShape = new Shape(insertSql(new BitSet()), 64 * 1024, keepRecords);
            shapes.put(new BitSet(), fullShape);
        }
        // Encode straight into the common shape; move the row only in the rare case that columns were omitted.
        int before = fullShape.rows.size();
        encoder.encode(record, fullShape.rows, scratchOmitted);
        Shape target = fullShape;
        if (!scratchOmitted.isEmpty()) {
            scratch.reset();
            scratch.append(fullShape.rows, before, fullShape.rows.size());
            fullShape.rows.truncate(before);
            target = shapes.computeIfAbsent((BitSet) scratchOmitted.clone(),
                    k -> new Shape(insertSql(k), 4096, keepRecords));
            target.rows.append(scratch, 0, scratch.size());
        }
        target.addRow(tp, record.kafkaOffset(), record);
        rows++;
        if (startedAtMs < 0) {
            startedAtMs = nowMs;
        }
        if (tp != lastPartition) { // runs of one partition: one map lookup per run
            firstOffsets.putIfAbsent(tp, record.kafkaOffset());
            lastPartition = tp;
        }
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
        if (shapes.size() == 1 && fullShape != null) {
            return fullShape.rows.size(); // the common case, checked after every row
        }
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

    /** Returns, per partition with buffered rows, its lowest buffered offset. */
    public Map<TopicPartition, Long> firstOffsets() {
        return Map.copyOf(firstOffsets);
    }

    /** Returns true if rows of the partition are buffered. */
    public boolean holds(TopicPartition tp) {
        return firstOffsets.containsKey(tp);
    }

    /**
     * Drops the buffered rows of the given partitions, keeping the others in order: their partitions were closed
     * (or are to be delivered again), and their offsets were never committed.
     *
     * @return the number of rows dropped
     */
    public int drop(Collection<TopicPartition> partitions) {
        boolean any = false;
        for (TopicPartition tp : partitions) {
            any |= firstOffsets.containsKey(tp);
        }
        if (!any) {
            return 0;
        }
        int dropped = 0;
        for (Shape s : shapes.values()) {
            BitSet keep = new BitSet(s.rowCount);
            for (int i = 0; i < s.rowCount; i++) {
                if (!partitions.contains(s.partition(i))) {
                    keep.set(i);
                }
            }
            dropped += s.retainRows(keep);
        }
        firstOffsets.keySet().removeAll(partitions);
        lastPartition = null;
        rows -= dropped;
        if (rows == 0) {
            startedAtMs = -1;
        }
        return dropped;
    }

    /** Forgets all rows after a successful insert, keeping buffers for reuse. */
    public void clear() {
        for (Shape s : shapes.values()) {
            s.clear();
        }
        firstOffsets.clear();
        lastPartition = null;
        rows = 0;
        startedAtMs = -1;
    }

    /**
     * Moves every buffered row into a batch, to be inserted while this buffer fills again, and leaves this buffer
     * empty. The batch reuses the memory of the one last given to {@link #recycle}.
     *
     * @return the batch holding the rows; owned by the caller until it is passed to {@link #recycle}
     */
    public Batch detach() {
        TableBuffer d = spare != null ? spare : new TableBuffer(encoder, keepRecords);
        spare = null;
        Map<BitSet, Shape> sh = shapes;
        shapes = d.shapes;
        d.shapes = sh;
        Map<TopicPartition, Long> fo = firstOffsets;
        firstOffsets = d.firstOffsets;
        d.firstOffsets = fo;
        Shape full = fullShape;
        fullShape = d.fullShape;
        d.fullShape = full;
        d.rows = rows;
        d.startedAtMs = startedAtMs;
        d.lastPartition = null;
        lastPartition = null;
        rows = 0;
        startedAtMs = -1;
        return new Batch(d);
    }

    /** Takes back a batch returned by {@link #detach} once its insert is over, to reuse its memory. */
    public void recycle(Batch done) {
        done.rows.clear();
        spare = done.rows;
    }
}
