package io.sluice.sink.clickhouse.schema;

import io.sluice.sink.clickhouse.schema.ClickHouseType.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses ClickHouse type names as the server prints them in {@code system.columns.type} and {@code DESCRIBE TABLE}
 * (grammar from the "Data Types" section of the ClickHouse docs): {@code Name} or {@code Name(arg, ...)}, where an
 * argument is a type, a number, a quoted string, an enum entry {@code 'name' = n} or a named tuple element
 * {@code name Type}.
 */
public final class ClickHouseTypeParser {

    private final String s;
    private int pos;

    private ClickHouseTypeParser(String s) {
        this.s = s;
    }

    /**
     * Parses a type.
     *
     * @param text the type as the server prints it, for example {@code Nullable(DateTime64(3, 'UTC'))}
     * @return the parsed type
     * @throws IllegalArgumentException if the text is not a type Sluice can encode, naming the position
     */
    public static ClickHouseType parse(String text) {
        ClickHouseTypeParser p = new ClickHouseTypeParser(text);
        ClickHouseType t = p.type();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected trailing text");
        }
        return t;
    }

    private ClickHouseType type() {
        skipSpace();
        int start = pos;
        String name = identifier();
        skipSpace();
        boolean hasArgs = peek() == '(';
        if (hasArgs) {
            pos++; // each family parses its own arguments and the closing parenthesis
        }
        return family(name, hasArgs, start);
    }

    private ClickHouseType family(String name, boolean hasArgs, int start) {
        switch (name) {
            case "Int8": return simple(Kind.INT8, 1, start, hasArgs);
            case "Int16": return simple(Kind.INT16, 2, start, hasArgs);
            case "Int32": return simple(Kind.INT32, 4, start, hasArgs);
            case "Int64": return simple(Kind.INT64, 8, start, hasArgs);
            case "Int128": return simple(Kind.INT128, 16, start, hasArgs);
            case "Int256": return simple(Kind.INT256, 32, start, hasArgs);
            case "UInt8": return simple(Kind.UINT8, 1, start, hasArgs);
            case "UInt16": return simple(Kind.UINT16, 2, start, hasArgs);
            case "UInt32": return simple(Kind.UINT32, 4, start, hasArgs);
            case "UInt64": return simple(Kind.UINT64, 8, start, hasArgs);
            case "UInt128": return simple(Kind.UINT128, 16, start, hasArgs);
            case "UInt256": return simple(Kind.UINT256, 32, start, hasArgs);
            case "Float32": return simple(Kind.FLOAT32, 4, start, hasArgs);
            case "Float64": return simple(Kind.FLOAT64, 8, start, hasArgs);
            case "Bool": return simple(Kind.BOOL, 1, start, hasArgs);
            case "String": return simple(Kind.STRING, 0, start, hasArgs);
            case "Date": return simple(Kind.DATE, 2, start, hasArgs);
            case "Date32": return simple(Kind.DATE32, 4, start, hasArgs);
            case "UUID": return simple(Kind.UUID, 16, start, hasArgs);
            case "IPv4": return simple(Kind.IPV4, 4, start, hasArgs);
            case "IPv6": return simple(Kind.IPV6, 16, start, hasArgs);
            case "Nothing": return simple(Kind.NOTHING, 0, start, hasArgs);
            case "JSON":
                if (hasArgs) {
                    skipBalanced();
                }
                return make(Kind.JSON, List.of(), null, 0, 0, null, null, start);
            case "Object": // Object('json'), the pre-24.8 spelling of JSON
                require(hasArgs, name);
                skipBalanced();
                return make(Kind.JSON, List.of(), null, 0, 0, null, null, start);
            case "FixedString": {
                require(hasArgs, name);
                int n = number();
                close();
                return make(Kind.FIXED_STRING, List.of(), null, n, 0, null, null, start);
            }
            case "DateTime": {
                String tz = null;
                if (hasArgs) {
                    tz = quoted();
                    close();
                }
                return make(Kind.DATETIME, List.of(), null, 0, 0, tz, null, start);
            }
            case "DateTime64": {
                require(hasArgs, name);
                int p = number();
                String tz = null;
                if (comma()) {
                    tz = quoted();
                }
                close();
                if (p < 0 || p > 9) {
                    throw error("DateTime64 precision must be 0..9");
                }
                return make(Kind.DATETIME64, List.of(), null, p, 0, tz, null, start);
            }
            case "Decimal": {
                require(hasArgs, name);
                int p = number();
                int sc = comma() ? number() : 0;
                close();
                return decimal(p, sc, start);
            }
            case "Decimal32": return decimalWithScale(9, start, hasArgs, name);
            case "Decimal64": return decimalWithScale(18, start, hasArgs, name);
            case "Decimal128": return decimalWithScale(38, start, hasArgs, name);
            case "Decimal256": return decimalWithScale(76, start, hasArgs, name);
            case "Enum8":
            case "Enum16": {
                require(hasArgs, name);
                Map<String, Integer> values = new LinkedHashMap<>();
                do {
                    String key = quoted();
                    skipSpace();
                    expect('=');
                    values.put(key, number());
                } while (comma());
                close();
                return make(name.equals("Enum8") ? Kind.ENUM8 : Kind.ENUM16, List.of(), null, 0, 0, null, values, start);
            }
            case "Nullable":
            case "LowCardinality":
            case "Array": {
                require(hasArgs, name);
                ClickHouseType e = type();
                close();
                Kind k = name.equals("Nullable") ? Kind.NULLABLE : name.equals("Array") ? Kind.ARRAY : Kind.LOW_CARDINALITY;
                return make(k, List.of(e), null, 0, 0, null, null, start);
            }
            case "Map": {
                require(hasArgs, name);
                ClickHouseType k = type();
                if (!comma()) {
                    throw error("Map needs a key and a value type");
                }
                ClickHouseType v = type();
                close();
                return make(Kind.MAP, List.of(k, v), null, 0, 0, null, null, start);
            }
            case "Tuple":
            case "Nested": {
                require(hasArgs, name);
                List<ClickHouseType> els = new ArrayList<>();
                List<String> names = new ArrayList<>();
                boolean named = false;
                do {
                    skipSpace();
                    int save = pos;
                    String ident = identifier();
                    skipSpace();
                    if (peek() == ',' || peek() == ')' || peek() == '(') {
                        pos = save; // positional element: the identifier was the type name
                        els.add(type());
                        names.add(null);
                    } else {
                        named = true;
                        names.add(ident);
                        els.add(type());
                    }
                } while (comma());
                close();
                ClickHouseType tuple = make(Kind.TUPLE, els, named ? names : null, 0, 0, null, null, start);
                if (name.equals("Nested")) {
                    // Nested(a T, b U) as a column type is Array(Tuple(a T, b U)).
                    return make(Kind.ARRAY, List.of(tuple), null, 0, 0, null, null, start);
                }
                return tuple;
            }
            default:
                throw new IllegalArgumentException("unsupported ClickHouse type '" + name + "' in '" + s + "'");
        }
    }

    private ClickHouseType decimalWithScale(int p, int start, boolean hasArgs, String name) {
        require(hasArgs, name);
        int sc = number();
        close();
        return decimal(p, sc, start);
    }

    private ClickHouseType decimal(int p, int sc, int start) {
        if (p < 1 || p > 76 || sc < 0 || sc > p) {
            throw error("Decimal needs 1 <= P <= 76 and 0 <= S <= P");
        }
        return make(Kind.DECIMAL, List.of(), null, p, sc, null, null, start);
    }

    private ClickHouseType simple(Kind kind, int width, int start, boolean hasArgs) {
        if (hasArgs) {
            throw error(kind + " takes no arguments");
        }
        return make(kind, List.of(), null, width, 0, null, null, start);
    }

    private ClickHouseType make(Kind kind, List<ClickHouseType> els, List<String> names, int precision, int scale,
                                String tz, Map<String, Integer> enums, int start) {
        return new ClickHouseType(kind, els, names, precision, scale, tz, enums, s.substring(start, pos).trim());
    }

    private void require(boolean hasArgs, String name) {
        if (!hasArgs) {
            throw error(name + " needs arguments");
        }
    }

    private String identifier() {
        skipSpace();
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            if (peek() == '`') {
                return backquoted();
            }
            throw error("expected a name");
        }
        return s.substring(start, pos);
    }

    private String backquoted() {
        pos++;
        int start = pos;
        while (pos < s.length() && s.charAt(pos) != '`') {
            pos++;
        }
        String r = s.substring(start, pos);
        expect('`');
        return r;
    }

    private int number() {
        skipSpace();
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number");
        }
        return Integer.parseInt(s.substring(start, pos));
    }

    private String quoted() {
        skipSpace();
        expect('\'');
        StringBuilder b = new StringBuilder();
        while (pos < s.length() && s.charAt(pos) != '\'') {
            char c = s.charAt(pos++);
            if (c == '\\' && pos < s.length()) {
                c = s.charAt(pos++);
            }
            b.append(c);
        }
        expect('\'');
        return b.toString();
    }

    private void skipBalanced() {
        int depth = 1;
        while (pos < s.length() && depth > 0) {
            char c = s.charAt(pos++);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        }
        if (depth != 0) {
            throw error("unbalanced parentheses");
        }
    }

    private boolean comma() {
        skipSpace();
        if (peek() == ',') {
            pos++;
            return true;
        }
        return false;
    }

    private void close() {
        skipSpace();
        expect(')');
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("cannot parse ClickHouse type '" + s + "' at position " + pos + ": " + what);
    }
}
