package io.sluice.sink.clickhouse.cdc;

import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * One Debezium change event, reduced to what the sink writes: the row image to store, whether it marks a deletion,
 * its binlog version and the binlog's origin, the source table and the names of the key columns. Immutable.
 */
public final class ChangeEvent {

    private final char op;
    private final Struct row;
    private final List<String> keyColumns;
    private final String sourceDatabase;
    private final String sourceTable;
    private final long version;
    private final BinlogOrigin origin;
    private final String binlogFile;

    /**
     * @param op             Debezium operation: {@code c} (create), {@code u} (update), {@code d} (delete) or
     *                       {@code r} (snapshot read)
     * @param row            the image to store: {@code after}, or {@code before} for a delete
     * @param keyColumns     the record key's field names, in the order of the row schema; never empty
     * @param sourceDatabase {@code source.db}
     * @param sourceTable    {@code source.table}
     * @param version        the {@link BinlogVersion} of the event
     * @param origin         the server whose binlog {@code version} comes from, or {@code null} if the event does
     *                       not say (snapshot reads)
     * @param binlogFile     {@code source.file}, for messages
     */
    public ChangeEvent(char op, Struct row, List<String> keyColumns, String sourceDatabase, String sourceTable,
                       long version, BinlogOrigin origin, String binlogFile) {
        this.op = op;
        this.row = row;
        this.keyColumns = List.copyOf(keyColumns);
        this.sourceDatabase = sourceDatabase;
        this.sourceTable = sourceTable;
        this.version = version;
        this.origin = origin;
        this.binlogFile = binlogFile;
    }

    /** Returns the Debezium operation code: c, u, d or r. */
    public char op() {
        return op;
    }

    /** Returns true for a delete, whose row is written with {@code _deleted = 1}. */
    public boolean deleted() {
        return op == 'd';
    }

    /** Returns the row image to store. */
    public Struct row() {
        return row;
    }

    /** Returns the schema of the row image (Debezium's {@code <prefix>.<db>.<table>.Value}). */
    public Schema rowSchema() {
        return row.schema();
    }

    /** Returns the key column names, in row schema order. */
    public List<String> keyColumns() {
        return keyColumns;
    }

    /** Returns the source database ({@code source.db}). */
    public String sourceDatabase() {
        return sourceDatabase;
    }

    /** Returns the source table ({@code source.table}). */
    public String sourceTable() {
        return sourceTable;
    }

    /** Returns the row's {@code _version}. */
    public long version() {
        return version;
    }

    /** Returns the server whose binlog the version comes from, or {@code null} if the event does not say. */
    public BinlogOrigin origin() {
        return origin;
    }

    /** Returns the binlog file name of the event ({@code source.file}). */
    public String binlogFile() {
        return binlogFile;
    }
}
