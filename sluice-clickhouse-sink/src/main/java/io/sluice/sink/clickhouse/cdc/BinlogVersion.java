package io.sluice.sink.clickhouse.cdc;

/**
 * The {@code _version} of a change row: its position in the source's binary log packed into 63 bits, so that a
 * later change of a row always has a larger version and a replayed event always has the same one.
 *
 * <p>Layout, most significant first (ARCHITECTURE.md, "CDC into ClickHouse", has the proof):
 * <pre>
 *   bits 62..33  binlog file sequence number (the digits after the last '.', e.g. mysql-bin.000042 -> 42), < 2^30
 *   bits 32..1   pos + row: the rows event's position in its file plus the row's index within the event, < 2^32
 *   bit  0       0 for snapshot reads (op=r), 1 for streamed changes
 * </pre>
 * {@code pos + row} is unique and ordered within a file because a rows event at position {@code pos} holding
 * {@code n} rows is more than {@code n} bytes long (every row image has at least a one-byte null bitmap, and the
 * event has a 19-byte header), so {@code pos + row < pos + length <= next event's pos}. Binlog positions are
 * 32-bit in the v4 event header that MySQL and MariaDB write. The top bit stays 0, so the version is also a
 * non-negative Java {@code long}. Source fields are those of Debezium's MySQL/MariaDB {@code source} block
 * (Debezium docs, "MySQL connector", "Change event values": {@code file}, {@code pos}, {@code row}).
 */
public final class BinlogVersion {

    /** Largest file sequence number that fits: 2^30 - 1. */
    public static final long MAX_FILE_SEQUENCE = (1L << 30) - 1;
    /** Largest {@code pos + row} that fits: 2^32 - 1. */
    public static final long MAX_POSITION = (1L << 32) - 1;

    private BinlogVersion() {
    }

    /**
     * Packs a binlog coordinate into a version.
     *
     * @param file     binlog file name, e.g. {@code mysql-bin.000003}; its digits after the last '.' are the sequence
     * @param pos      position of the rows event in the file, in bytes
     * @param row      index of the row within the event, from 0
     * @param snapshot true for a snapshot read (op=r), which sorts before a streamed change at the same position
     * @return the version, {@code >= 0}
     * @throws IllegalArgumentException if the file name has no numeric suffix or a part does not fit its bits
     */
    public static long of(String file, long pos, long row, boolean snapshot) {
        long seq = fileSequence(file);
        if (pos < 0 || row < 0 || pos + row > MAX_POSITION) {
            throw new IllegalArgumentException("binlog position " + pos + " row " + row + " of " + file
                    + " does not fit 32 bits");
        }
        return (seq << 33) | ((pos + row) << 1) | (snapshot ? 0 : 1);
    }

    /**
     * Returns the sequence number of a binlog file name: the decimal digits after its last '.'.
     *
     * @throws IllegalArgumentException if there are none, or the number exceeds {@link #MAX_FILE_SEQUENCE}
     */
    public static long fileSequence(String file) {
        if (file == null) {
            throw new IllegalArgumentException("the change event has no source.file (binlog file name)");
        }
        int dot = file.lastIndexOf('.');
        String digits = file.substring(dot + 1);
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("binlog file name '" + file + "' does not end in .<number>");
        }
        long seq = Long.parseLong(digits);
        if (seq > MAX_FILE_SEQUENCE) {
            throw new IllegalArgumentException("binlog file sequence " + seq + " of '" + file + "' exceeds "
                    + MAX_FILE_SEQUENCE);
        }
        return seq;
    }

    /** Returns a readable form of a version, {@code seq:pos+row[:snapshot]}, for logs and tests. */
    public static String describe(long version) {
        return (version >>> 33) + ":" + ((version >>> 1) & MAX_POSITION) + ((version & 1) == 0 ? ":snapshot" : "");
    }
}
