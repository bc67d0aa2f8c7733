package io.sluice.local.verify;

import io.sluice.local.server.MariaDbServer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a MariaDB table with its ClickHouse twin, the current-state view {@code <table>_current}, row by row:
 * both sides are read into this JVM, every row is rendered in one canonical text form, the rows are sorted, and the
 * checksum is the SHA-256 of the sorted rows. Equal checksums mean equal multisets of rows over all columns.
 *
 * <p>Canonical form of a value, chosen so that each side's own text rendering cannot make equal values differ:
 * <ul>
 *   <li>NULL: {@code \N};</li>
 *   <li>integers and decimals: the exact number without trailing zeros ({@link BigDecimal#stripTrailingZeros()});</li>
 *   <li>DOUBLE: Java's shortest round-trip text of the binary value; FLOAT likewise as a 32-bit float;</li>
 *   <li>text, binary, JSON, ENUM and SET: the bytes in upper-case hex ({@code HEX()} in MariaDB, {@code hex()} in
 *       ClickHouse), so escaping and character sets play no part;</li>
 *   <li>DATE: {@code yyyy-MM-dd}; DATETIME and TIMESTAMP: {@code yyyy-MM-dd HH:mm:ss[.f...]} with as many fraction
 *       digits as the ClickHouse column keeps (DateTime64(p): p; DateTime: none, because ClickHouse before 20.1 has
 *       only whole seconds and the sink truncates). The MariaDB value is truncated the same way, so the comparison
 *       is exact at the precision the target can hold, and states that precision in {@link Result#notes()}.
 *       ClickHouse displays day 0 (1970-01-01) of Date and DateTime as {@code 0000-00-00}; it is read as 1970-01-01.</li>
 * </ul>
 * A column missing on the ClickHouse side renders as {@code <missing>} and so makes every row differ.
 */
public final class CdcChecksum {

    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext",
            "longtext", "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "json", "enum", "set");
    private static final Set<String> DATETIME_TYPES = Set.of("datetime", "timestamp");
    private static final Pattern DATETIME64 = Pattern.compile("DateTime64\\((\\d+)");
    private static final String ZERO_DATE = "0000-00-00";
    private static final String EPOCH_DATE = "1970-01-01";
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private CdcChecksum() {
    }

    /**
     * The outcome of one comparison.
     *
     * @param table            table name (the same on both sides)
     * @param sourceRows       rows in MariaDB
     * @param targetRows       rows in the ClickHouse view
     * @param sourceChecksum   SHA-256 (hex, first 16 characters) of MariaDB's sorted canonical rows
     * @param targetChecksum   the same for ClickHouse
     * @param onlyInSource     up to 5 canonical rows found only in MariaDB
     * @param onlyInTarget     up to 5 canonical rows found only in ClickHouse
     * @param notes            precision notes, e.g. {@code created_at compared to whole seconds (ClickHouse DateTime)}
     */
    public record Result(String table, long sourceRows, long targetRows, String sourceChecksum, String targetChecksum,
                         List<String> onlyInSource, List<String> onlyInTarget, List<String> notes) {

        /** Returns true when both sides hold the same rows. */
        public boolean matches() {
            return sourceChecksum.equals(targetChecksum) && sourceRows == targetRows;
        }

        /** Returns a one-paragraph description with the first differing rows, for assertion messages and logs. */
        public String describe() {
            return table + ": MariaDB " + sourceRows + " rows, checksum " + sourceChecksum + "; ClickHouse "
                    + targetRows + " rows, checksum " + targetChecksum
                    + (matches() ? "" : "; only in MariaDB: " + onlyInSource + "; only in ClickHouse: " + onlyInTarget);
        }
    }

    private record SourceColumn(String name, String dataType) {
    }

    /**
     * Reads both sides and compares them.
     *
     * @param db       the MariaDB server
     * @param database the source database
     * @param table    the source table; the ClickHouse view is {@code <table>_current} in the {@code default} database
     * @param ch       ClickHouse
     * @throws IllegalStateException if either side cannot be read (for example the view does not exist yet)
     */
    public static Result compare(MariaDbServer db, String database, String table, ClickHouseQuery ch) {
        Map<String, String> targetTypes = new LinkedHashMap<>();
        for (String[] r : ch.rows("DESCRIBE TABLE " + quoteCh(table + "_current"))) {
            targetTypes.put(r[0], r[1]);
        }
        try (Connection c = db.connect(database)) {
            List<SourceColumn> cols = sourceColumns(c, database, table);
            List<String> notes = new ArrayList<>();
            for (SourceColumn col : cols) {
                String t = targetTypes.get(col.name());
                if (DATETIME_TYPES.contains(col.dataType()) && t != null) {
                    int p = fractionDigits(t);
                    notes.add(col.name() + " compared to " + (p == 0 ? "whole seconds" : p + " fraction digits")
                            + " (ClickHouse " + t + ")");
                }
            }
            List<String> source = readSource(c, table, cols, targetTypes);
            List<String> target = readTarget(ch, table, cols, targetTypes);
            return result(table, source, target, notes);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + database + "." + table + " from MariaDB: " + e.getMessage(), e);
        }
    }

    private static List<SourceColumn> sourceColumns(Connection c, String database, String table) throws SQLException {
        List<SourceColumn> cols = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, database);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(new SourceColumn(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT)));
                }
            }
        }
        if (cols.isEmpty()) {
            throw new SQLException("table " + database + "." + table + " does not exist");
        }
        return cols;
    }

    private static List<String> readSource(Connection c, String table, List<SourceColumn> cols,
                                           Map<String, String> targetTypes) throws SQLException {
        List<String> exprs = new ArrayList<>();
        for (SourceColumn col : cols) {
            String q = "`" + col.name().replace("`", "``") + "`";
            exprs.add(TEXT_TYPES.contains(col.dataType()) ? "HEX(" + q + ")" : q);
        }
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + String.join(", ", exprs) + " FROM `" + table + "`")) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 0; i < cols.size(); i++) {
                    SourceColumn col = cols.get(i);
                    row.append(i == 0 ? "" : "|").append(canonical(rs.getString(i + 1), col.dataType(),
                            targetTypes.get(col.name())));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static List<String> readTarget(ClickHouseQuery ch, String table, List<SourceColumn> cols,
                                           Map<String, String> targetTypes) {
        List<String> exprs = new ArrayList<>();
        for (SourceColumn col : cols) {
            if (!targetTypes.containsKey(col.name())) {
                exprs.add("'<missing>'");
            } else if (TEXT_TYPES.contains(col.dataType())) {
                exprs.add("hex(toString(" + quoteCh(col.name()) + "))");
            } else {
                exprs.add(quoteCh(col.name()));
            }
        }
        List<String> rows = new ArrayList<>();
        for (String[] r : ch.rows("SELECT " + String.join(", ", exprs) + " FROM " + quoteCh(table + "_current"))) {
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < cols.size(); i++) {
                SourceColumn col = cols.get(i);
                String type = targetTypes.get(col.name());
                String v = r[i];
                if (v.startsWith(ZERO_DATE)) {
                    v = EPOCH_DATE + v.substring(ZERO_DATE.length()); // how ClickHouse displays day 0 of Date/DateTime
                }
                row.append(i == 0 ? "" : "|").append(type == null ? "<missing>"
                        : canonical("\\N".equals(v) ? null : v, col.dataType(), type));
            }
            rows.add(row.toString());
        }
        return rows;
    }

    /**
     * Renders one value canonically.
     *
     * @param text       the value as text (already hex for text-like types), or null for NULL
     * @param sourceType the MariaDB DATA_TYPE, lower case
     * @param targetType the ClickHouse column type, or null if the column is missing there
     */
    static String canonical(String text, String sourceType, String targetType) {
        if (text == null) {
            return "\\N";
        }
        switch (sourceType) {
            case "tinyint": case "smallint": case "mediumint": case "int": case "bigint": case "decimal":
                return new BigDecimal(text).stripTrailingZeros().toPlainString();
            case "double":
                return Double.toString(Double.parseDouble(text));
            case "float":
                return Float.toString(Float.parseFloat(text));
            case "datetime": case "timestamp": {
                int digits = targetType == null ? 6 : fractionDigits(targetType);
                LocalDateTime t = LocalDateTime.parse(text.replace(' ', 'T'));
                LocalDateTime truncated = t.truncatedTo(ChronoUnit.SECONDS)
                        .plusNanos(t.getNano() / pow10(9 - digits) * pow10(9 - digits));
                String s = SECONDS.format(truncated);
                if (digits > 0) {
                    String nanos = String.format(Locale.ROOT, "%09d", truncated.getNano());
                    s += "." + nanos.substring(0, digits);
                }
                return s;
            }
            default:
                return text.toUpperCase(Locale.ROOT);
        }
    }

    private static int fractionDigits(String clickHouseType) {
        Matcher m = DATETIME64.matcher(clickHouseType);
        return m.find() ? Math.min(Integer.parseInt(m.group(1)), 9) : 0;
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    private static Result result(String table, List<String> source, List<String> target, List<String> notes) {
        Collections.sort(source);
        Collections.sort(target);
        List<String> onlySource = new ArrayList<>();
        List<String> onlyTarget = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < source.size() || j < target.size()) {
            int cmp = i == source.size() ? 1 : j == target.size() ? -1 : source.get(i).compareTo(target.get(j));
            if (cmp == 0) {
                i++;
                j++;
            } else if (cmp < 0) {
                if (onlySource.size() < 5) {
                    onlySource.add(source.get(i));
                }
                i++;
            } else {
                if (onlyTarget.size() < 5) {
                    onlyTarget.add(target.get(j));
                }
                j++;
            }
        }
        return new Result(table, source.size(), target.size(), sha256(source), sha256(target), onlySource, onlyTarget,
                notes);
    }

    private static String sha256(List<String> rows) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String r : rows) {
                md.update(r.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quoteCh(String identifier) {
        return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }
}
