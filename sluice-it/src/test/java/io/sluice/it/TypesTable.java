package io.sluice.it;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;

/**
 * A MariaDB table with one column of each kind a CDC pipeline must carry faithfully, and a seeded generator of
 * rows that reach the edges of each type: signed and unsigned integers of every width (including BIGINT UNSIGNED
 * above 2^63), DECIMAL(10,2) and DECIMAL(38,10), DOUBLE, DATE, DATETIME with 0, 3 and 6 fraction digits, ENUM,
 * JSON, BLOB, VARCHAR with tabs, newlines and 4-byte UTF-8, and NULLs.
 */
final class TypesTable {

    static final String[] STATUSES = {"new", "paid", "shipped", "cancelled"};
    private static final String[] WORDS = {"alpha", "tab\there", "new\nline", "ünïcödé", "emoji 😀", "quote 'q' \"qq\"",
            "back\\slash", ""};
    private static final String[] JSON_WORDS = {"alpha", "ünïcödé", "emoji 😀"};
    private static final String COLUMNS = "id, ti, ti_u, si, si_u, mi, mi_u, i, i_u, bi, bi_u, dec_small, dec_big, dbl, d, "
            + "dt0, dt3, dt6, status, doc, payload, name, note";

    private TypesTable() {
    }

    static String ddl(String table) {
        return "CREATE TABLE " + table + " ("
                + "id INT UNSIGNED NOT NULL PRIMARY KEY, "
                + "ti TINYINT, ti_u TINYINT UNSIGNED, si SMALLINT, si_u SMALLINT UNSIGNED, "
                + "mi MEDIUMINT, mi_u MEDIUMINT UNSIGNED, i INT, i_u INT UNSIGNED, bi BIGINT, bi_u BIGINT UNSIGNED, "
                + "dec_small DECIMAL(10,2), dec_big DECIMAL(38,10), dbl DOUBLE, "
                + "d DATE, dt0 DATETIME, dt3 DATETIME(3), dt6 DATETIME(6), "
                + "status ENUM('new','paid','shipped','cancelled') NOT NULL, doc JSON, payload BLOB, "
                + "name VARCHAR(100) NOT NULL, note VARCHAR(200) NULL)";
    }

    /** Inserts rows {@code from .. from+n-1} in batches, in the connection's current transaction mode. */
    static void insert(Connection c, String table, int from, int n, Random r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (int k = 0; k < n; k++) {
                ps.setLong(1, from + k);
                bindValues(ps, 2, from + k, r);
                ps.addBatch();
                if (k % 500 == 499) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Gives row {@code id} new values in every column but the key. */
    static void update(Connection c, String table, long id, Random r) throws SQLException {
        String set = COLUMNS.substring("id, ".length()).replace(", ", " = ?, ") + " = ?";
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + set + " WHERE id = ?")) {
            int next = bindValues(ps, 1, id, r);
            ps.setLong(next, id);
            ps.executeUpdate();
        }
    }

    /** Binds the 22 non-key values starting at parameter {@code p}; returns the next parameter index. */
    private static int bindValues(PreparedStatement ps, int p, long id, Random r) throws SQLException {
        boolean edge = id % 37 == 0;
        boolean low = r.nextBoolean();
        nullable(ps, p++, r, edge ? (low ? -128 : 127) : r.nextInt(256) - 128);
        nullable(ps, p++, r, edge ? (low ? 0 : 255) : r.nextInt(256));
        nullable(ps, p++, r, edge ? (low ? -32768 : 32767) : r.nextInt(65536) - 32768);
        nullable(ps, p++, r, edge ? (low ? 0 : 65535) : r.nextInt(65536));
        nullable(ps, p++, r, edge ? (low ? -8388608 : 8388607) : r.nextInt(1 << 24) - (1 << 23));
        nullable(ps, p++, r, edge ? (low ? 0 : 16777215) : r.nextInt(1 << 24));
        nullable(ps, p++, r, edge ? (low ? Integer.MIN_VALUE : Integer.MAX_VALUE) : r.nextInt());
        nullable(ps, p++, r, edge ? (low ? 0 : 4294967295L) : Integer.toUnsignedLong(r.nextInt()));
        nullable(ps, p++, r, edge ? (low ? Long.MIN_VALUE : Long.MAX_VALUE) : r.nextLong());
        nullableText(ps, p++, r, edge ? (low ? "0" : "18446744073709551615") : new BigInteger(64, r).toString());
        nullableDecimal(ps, p++, r, edge ? new BigDecimal(low ? "-99999999.99" : "99999999.99")
                : BigDecimal.valueOf(r.nextInt(2_000_000_000) - 1_000_000_000L, 2));
        nullableDecimal(ps, p++, r, edge ? new BigDecimal((low ? "-" : "") + "9999999999999999999999999999.9999999999")
                : new BigDecimal(new BigInteger(90, r), 10).multiply(BigDecimal.valueOf(r.nextBoolean() ? 1 : -1)));
        if (r.nextInt(8) == 0) {
            ps.setNull(p++, Types.DOUBLE);
        } else {
            ps.setDouble(p++, edge ? (low ? -1.7976931348623157E308 : 4.9E-324) : r.nextGaussian() * Math.pow(10, r.nextInt(12)));
        }
        if (r.nextInt(8) == 0) {
            ps.setNull(p++, Types.DATE);
        } else {
            ps.setObject(p++, LocalDate.ofEpochDay(edge ? (low ? 0 : 49_000) : r.nextInt(40_000)));
        }
        // 1971..2037: inside ClickHouse DateTime's range [1970, 2106).
        long seconds = 31_536_000L + (long) (r.nextDouble() * 2_100_000_000L);
        int micros = r.nextInt(1_000_000);
        datetime(ps, p++, r, LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC));
        datetime(ps, p++, r, LocalDateTime.ofEpochSecond(seconds, (micros / 1000) * 1_000_000, ZoneOffset.UTC));
        datetime(ps, p++, r, LocalDateTime.ofEpochSecond(seconds, micros * 1000, ZoneOffset.UTC));
        ps.setString(p++, STATUSES[r.nextInt(STATUSES.length)]);
        nullableText(ps, p++, r, "{\"k\": " + r.nextInt(1000) + ", \"tags\": [\"" + JSON_WORDS[r.nextInt(JSON_WORDS.length)]
                + "\"], \"s\": \"caf\\u00e9 \\\"x\\\"\"}");
        if (r.nextInt(8) == 0) {
            ps.setNull(p++, Types.BLOB);
        } else {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            ps.setBytes(p++, b);
        }
        ps.setString(p++, WORDS[r.nextInt(WORDS.length)] + " " + id);
        nullableText(ps, p++, r, WORDS[r.nextInt(WORDS.length)]);
        return p;
    }

    private static void nullable(PreparedStatement ps, int p, Random r, long v) throws SQLException {
        if (r.nextInt(8) == 0) {
            ps.setNull(p, Types.BIGINT);
        } else {
            ps.setLong(p, v);
        }
    }

    private static void nullableText(PreparedStatement ps, int p, Random r, String v) throws SQLException {
        if (r.nextInt(8) == 0) {
            ps.setNull(p, Types.VARCHAR);
        } else {
            ps.setString(p, v);
        }
    }

    private static void nullableDecimal(PreparedStatement ps, int p, Random r, BigDecimal v) throws SQLException {
        if (r.nextInt(8) == 0) {
            ps.setNull(p, Types.DECIMAL);
        } else {
            ps.setBigDecimal(p, v);
        }
    }

    private static void datetime(PreparedStatement ps, int p, Random r, LocalDateTime v) throws SQLException {
        if (r.nextInt(8) == 0) {
            ps.setNull(p, Types.TIMESTAMP);
        } else {
            ps.setObject(p, v);
        }
    }
}
