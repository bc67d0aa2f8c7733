package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads a Debezium change-event envelope (Debezium docs, "MySQL connector", "Data change events": fields
 * {@code before}, {@code after}, {@code source}, {@code op}, {@code ts_ms}) from a record converted by
 * {@code JsonConverter} with {@code schemas.enable=true}, and its key (the source table's primary key, or the
 * columns named in Debezium's {@code message.key.columns}).
 *
 * <p>Every problem is a {@link RecordEncodingException} that names the record's source table and says what to
 * change, so the task can dead-letter the record or fail with that message.
 */
public final class EnvelopeReader {

    /**
     * Reads one change event.
     *
     * @param record a record with a non-null value (tombstones are skipped before this)
     * @return the event
     * @throws RecordEncodingException if the value is not a Debezium envelope with schemas, the operation is not
     *                                 c/u/d/r, the key is missing or not a Struct/JSON object, or the binlog
     *                                 coordinates cannot give a version
     */
    public ChangeEvent read(SinkRecord record) throws RecordEncodingException {
        Object value = record.value();
        if (value instanceof Map) {
            throw new RecordEncodingException(null, "ingest.mode=debezium needs change events with schemas: set "
                    + "value.converter=org.apache.kafka.connect.json.JsonConverter and "
                    + "value.converter.schemas.enable=true (the Debezium connector must also write schemas)");
        }
        if (!(value instanceof Struct)) {
            throw new RecordEncodingException(null, "ingest.mode=debezium expects a Debezium change event (a Struct), "
                    + "got " + value.getClass().getSimpleName());
        }
        Struct env = (Struct) value;
        Schema s = env.schema();
        if (s.field("op") == null || s.field("source") == null || s.field("after") == null
                || s.field("before") == null) {
            throw new RecordEncodingException(null, "not a Debezium change event (needs fields before, after, source "
                    + "and op; has " + names(s) + "). Route only table topics to this sink, not the schema-change, "
                    + "heartbeat or transaction topics");
        }
        Struct source = env.getStruct("source");
        String table = source == null ? null : string(source, "table");
        String db = source == null ? null : string(source, "db");
        String where = "source table " + (db == null ? "" : db + ".") + table;
        if (table == null) {
            throw new RecordEncodingException(null, "change event has no source.table");
        }
        String op = env.getString("op");
        Struct row;
        if ("c".equals(op) || "u".equals(op) || "r".equals(op)) {
            row = env.getStruct("after");
        } else if ("d".equals(op)) {
            row = env.getStruct("before");
        } else if ("t".equals(op)) {
            throw new RecordEncodingException(null, "truncate event for " + where + " is not applied: empty the "
                    + "ClickHouse table yourself, and keep skipped.operations=t (the Debezium default)");
        } else {
            throw new RecordEncodingException(null, "unsupported Debezium operation '" + op + "' for " + where);
        }
        List<String> key = keyColumns(record.key(), where, row, env);
        if (row == null) {
            if ("d".equals(op) && record.key() instanceof Struct) {
                row = (Struct) record.key(); // no before image (binlog_row_image=MINIMAL): the key identifies the row
            } else {
                throw new RecordEncodingException(null, "change event '" + op + "' for " + where + " has no "
                        + ("d".equals(op) ? "before" : "after") + " image");
            }
        }
        long version;
        try {
            Object pos = source.schema().field("pos") == null ? null : source.get("pos");
            Object rowInEvent = source.schema().field("row") == null ? null : source.get("row");
            if (!(pos instanceof Number)) {
                throw new IllegalArgumentException("the change event has no source.pos (binlog position)");
            }
            version = BinlogVersion.of(string(source, "file"), ((Number) pos).longValue(),
                    rowInEvent instanceof Number ? ((Number) rowInEvent).longValue() : 0, "r".equals(op));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new RecordEncodingException(null, "cannot derive _version for " + where + ": " + e.getMessage()
                    + " (ingest.mode=debezium supports Debezium's MySQL and MariaDB connectors)");
        }
        return new ChangeEvent(op.charAt(0), row, key, db, table, version, BinlogOrigin.of(source),
                string(source, "file"));
    }

    private static List<String> keyColumns(Object key, String where, Struct row, Struct env)
            throws RecordEncodingException {
        if (key == null) {
            throw new RecordEncodingException(null, where + " has no primary key, so its change events have no key "
                    + "and rows cannot be matched to their updates and deletes. Give the table a primary key, or set "
                    + "message.key.columns=<db>.<table>:<col>,... in the Debezium connector to the columns that "
                    + "identify a row");
        }
        List<String> names = new ArrayList<>();
        if (key instanceof Struct) {
            for (Field f : ((Struct) key).schema().fields()) {
                names.add(f.name());
            }
        } else if (key instanceof Map) {
            // Schemaless JSON key: take the row schema's column order, so ORDER BY is stable.
            Schema rowSchema = row != null ? row.schema() : env.schema().field("after").schema();
            for (Field f : rowSchema.fields()) {
                if (((Map<?, ?>) key).containsKey(f.name())) {
                    names.add(f.name());
                }
            }
        } else {
            throw new RecordEncodingException(null, "the key of a change event for " + where + " is a "
                    + key.getClass().getSimpleName() + "; ingest.mode=debezium needs the key columns: set "
                    + "key.converter=org.apache.kafka.connect.json.JsonConverter (schemas.enable=true)");
        }
        if (names.isEmpty()) {
            throw new RecordEncodingException(null, "the key of a change event for " + where + " has no columns");
        }
        return names;
    }

    private static String string(Struct s, String field) {
        return s.schema().field(field) == null ? null : (String) s.get(field);
    }

    private static List<String> names(Schema s) {
        List<String> n = new ArrayList<>();
        for (Field f : s.fields()) {
            n.add(f.name());
        }
        return n;
    }
}
