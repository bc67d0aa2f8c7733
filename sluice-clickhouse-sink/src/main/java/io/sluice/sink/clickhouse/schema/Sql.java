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

    /**
     * Returns the value of a single-quoted string literal as ClickHouse prints it in {@code DESCRIBE TABLE}'s
     * default_expression (backslash escapes, ClickHouse "Syntax", "String"), or {@code null} if {@code literal} is
     * not exactly one such literal (an expression, a number, a function call).
     */
    public static String unquoteString(String literal) {
        if (literal.length() < 2 || literal.charAt(0) != '\'' || literal.charAt(literal.length() - 1) != '\'') {
            return null;
        }
        StringBuilder out = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\') {
                if (++i == literal.length() - 1) {
                    return null;
                }
                c = literal.charAt(i);
            } else if (c == '\'') {
                return null; // an unescaped quote ends the literal early: more than one token
            }
            out.append(c);
        }
        return out.toString();
    }
}
