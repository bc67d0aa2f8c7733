package io.sluice.sink.clickhouse.schema;

/** SQL quoting helpers following ClickHouse's "Syntax" reference (backquoted identifiers, single-quoted strings). */
public final class Sql {

    private Sql() {
    }

    /** Quotes an identifier with backquotes, escaping backslashes and backquotes. */
    public static String quoteIdentifier(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    /** Quotes a string literal with single quotes, escaping backslashes and single quotes. */
    public static String quoteString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
