package io.sluice.sink.clickhouse.schema;

import java.nio.charset.StandardCharsets;

/**
 * Which field names can become ClickHouse columns, checked before an {@code ALTER TABLE ... ADD COLUMN} is sent.
 *
 * <p>Two kinds are refused, both seen on ClickHouse 18.16:
 * <ul>
 *   <li>the empty name: the server answers the ALTER with a syntax error (code 62);</li>
 *   <li>a name whose column files would exceed the file system's 255-byte name limit. A MergeTree part stores each
 *       column in files named after it, the name escaped byte by byte (letters, digits and {@code _} kept, every
 *       other byte as {@code %XX}, ClickHouse's {@code escapeForFileName}), plus a suffix such as
 *       {@code .null.mrk2} or {@code .size0.bin}. 18.16 accepts the ALTER and then fails every insert and every
 *       merge of the table with "Cannot open file" (code 76), so one record would stop the table for good. The
 *       escaped name may take at most {@value #MAX_FILE_NAME_BYTES} bytes, which leaves room for every suffix.</li>
 * </ul>
 */
public final class ColumnNames {

    /** Longest escaped column name accepted, in bytes; 255 (NAME_MAX) less room for the file suffixes. */
    public static final int MAX_FILE_NAME_BYTES = 200;

    private ColumnNames() {
    }

    /**
     * Returns why a field name cannot become a column, or {@code null} if it can.
     *
     * @param name the field name
     */
    public static String refusal(String name) {
        if (name.isEmpty()) {
            return "an empty field name cannot be a ClickHouse column name";
        }
        int bytes = escapedLength(name);
        if (bytes > MAX_FILE_NAME_BYTES) {
            return "field name of " + name.length() + " characters ('" + name.substring(0, Math.min(40, name.length())) + "...') needs a "
                    + bytes + "-byte column file name in ClickHouse, over the " + MAX_FILE_NAME_BYTES + " bytes the sink "
                    + "allows (file names end at 255 bytes; the server would accept the column and then fail every "
                    + "insert into the table)";
        }
        return null;
    }

    /** Returns the length of ClickHouse's {@code escapeForFileName} of a name: 3 bytes per escaped UTF-8 byte. */
    static int escapedLength(String name) {
        int n = 0;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            boolean kept = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
            n += kept ? 1 : 3;
        }
        return n;
    }
}
