package io.sluice.sink.clickhouse.encode.json;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import com.fasterxml.jackson.core.JsonToken;
import io.sluice.sink.clickhouse.encode.rowbinary.JsonScalar;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A cursor over the common shape of a JSON record, read straight from its UTF-8 bytes: one flat object whose
 * names are ASCII without escapes and whose values are numbers, ASCII strings without escapes, {@code true},
 * {@code false} or {@code null}. It accepts only a subset of RFC 8259 (JSON grammar: section 2 whitespace, 4
 * objects, 6 numbers, 7 strings) and gives up at the first byte outside it; the caller then reads the record
 * again with Jackson, which also words the error for malformed text. So the scanner decides speed, never what is
 * accepted or how a value reads.
 *
 * <p>Given up on: nested objects and arrays, escapes, non-ASCII bytes and control characters in strings, integers
 * of more than 18 digits, numbers longer than 100 characters, a byte order mark, anything after the object but
 * whitespace. Doubles: an exact decimal with at most 15 significant digits and a power of ten within 22 is one
 * correctly rounded IEEE operation (Clinger's fast path); other numbers go through {@code Double.parseDouble}, so
 * every double equals what Jackson reads.
 *
 * <p>Not thread-safe: one per {@link JsonRecordReader}.
 */
final class FlatJsonScanner implements JsonScalar {

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final JsonToken[] TOKENS = JsonToken.values();
    private static final int NONE = -1;
    private static final int STRING = JsonToken.VALUE_STRING.ordinal();
    private static final int INT = JsonToken.VALUE_NUMBER_INT.ordinal();
    private static final int FLOAT = JsonToken.VALUE_NUMBER_FLOAT.ordinal();
    private static final int TRUE = JsonToken.VALUE_TRUE.ordinal();
    private static final int FALSE = JsonToken.VALUE_FALSE.ordinal();
    private static final int NULL = JsonToken.VALUE_NULL.ordinal();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] b;
    private int pos;
    private int nameStart;
    private int nameEnd;
    /**
     * The current value's token as its ordinal in {@link #TOKENS}, or {@link #NONE} before the first value: an int,
     * so moving to a value stores no reference (no garbage-collector write barrier per value).
     */
    private int token;
    private int valueStart;
    private int valueEnd;
    private long longValue;
    /**
     * Of the current number, from the one pass that scanned it: whether {@link #doubleValue} is one exact IEEE
     * operation (at most 15 significant digits, power of ten within 22), and then its digits as an integer, the
     * power of ten and the sign.
     */
    private boolean fastDouble;
    private long mantissa;
    private int scale;
    private boolean negative;
    private final AsciiView view = new AsciiView();

    /**
     * Starts on a record.
     *
     * @return false if the text does not start with an object
     */
    boolean start(byte[] json) {
        b = json;
        pos = 0;
        token = NONE;
        skipWhitespace();
        if (pos >= b.length || b[pos] != '{') {
            return false;
        }
        pos++;
        skipWhitespace();
        return true;
    }

    /**
     * Moves to the next field name.
     *
     * @param expected the name likely to come next (as bytes the scanner read before, so free of escapes), or null
     * @return 2 on the expected name, 1 on another name ({@link #name}), 0 at the end of the object (only
     *         whitespace after it), -1 to give up
     */
    int nextField(byte[] expected) {
        if (pos >= b.length) {
            return -1;
        }
        if (b[pos] == '}') {
            pos++;
            skipWhitespace();
            return pos == b.length ? 0 : -1;
        }
        if (b[pos] == ',') {
            if (token == NONE) {
                return -1; // a comma before the first field
            }
            pos++;
            skipWhitespace();
        } // (after a value, nextValue has checked that a ',' or the '}' follows)
        if (pos >= b.length || b[pos] != '"') {
            return -1;
        }
        nameStart = ++pos;
        int found = 1;
        int end = expected == null ? -1 : pos + expected.length;
        if (end >= 0 && end < b.length && b[end] == '"' && Arrays.equals(b, pos, end, expected, 0, expected.length)) {
            pos = end + 1; // compared, so no need to look for escapes
            found = 2;
        } else if (!skipPlainString()) {
            return -1;
        }
        nameEnd = pos - 1;
        skipWhitespace();
        if (pos >= b.length || b[pos] != ':') {
            return -1;
        }
        pos++;
        skipWhitespace();
        return found;
    }

    /** Returns the current field's name. */
    String name() {
        return new String(b, nameStart, nameEnd - nameStart, ISO_8859_1);
    }

    /** Returns a copy of the current field's name bytes. */
    byte[] nameBytes() {
        return Arrays.copyOfRange(b, nameStart, nameEnd);
    }

    /**
     * Reads the value after a name, and the whitespace after it.
     *
     * @return false to give up
     */
    boolean nextValue() {
        if (pos >= b.length) {
            return false;
        }
        byte c = b[pos];
        valueStart = pos;
        if (c == '"') {
            pos++;
            if (!skipPlainString()) {
                return false;
            }
            token = STRING;
            valueStart++;
            valueEnd = pos - 1;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            if (!number()) {
                return false;
            }
        } else if (literal("true")) {
            token = TRUE;
        } else if (literal("false")) {
            token = FALSE;
        } else if (literal("null")) {
            token = NULL;
        } else {
            return false;
        }
        if (token != STRING) {
            valueEnd = pos;
        }
        skipWhitespace();
        return pos < b.length && (b[pos] == ',' || b[pos] == '}');
    }

    /**
     * Returns the current value as the general path takes it ({@link JsonRecordReader#value}, for a scalar).
     *
     * @param form how the column wants numbers
     */
    Object boxed(JsonRecordReader.NumberForm form) {
        switch (token()) {
            case VALUE_STRING: return string();
            case VALUE_TRUE: return Boolean.TRUE;
            case VALUE_FALSE: return Boolean.FALSE;
            case VALUE_NULL: return null;
            default:
                if (form == JsonRecordReader.NumberForm.TEXT) {
                    return string();
                }
                if (form == JsonRecordReader.NumberForm.DECIMAL) {
                    return new BigDecimal(string());
                }
                return token == INT ? (Object) longValue : (Object) doubleValue();
        }
    }

    @Override
    public JsonToken token() {
        return token == NONE ? null : TOKENS[token];
    }

    @Override
    public boolean fitsLong() {
        return true; // longer integers were given up on
    }

    @Override
    public long longValue() {
        return longValue;
    }

    @Override
    public double doubleValue() {
        if (!fastDouble) {
            return slowDouble();
        }
        double d = scale >= 0 ? (double) mantissa * POW10[scale] : (double) mantissa / POW10[-scale];
        return negative ? -d : d;
    }

    private double slowDouble() {
        return Double.parseDouble(new String(b, valueStart, valueEnd - valueStart, ISO_8859_1));
    }

    /** Returns the current value's text as a new String. */
    private String string() {
        return new String(b, valueStart, valueEnd - valueStart, ISO_8859_1);
    }

    /** Returns a view of the current value's text (printable ASCII, so one char per byte), valid until the next move. */
    @Override
    public CharSequence text() {
        view.from = valueStart;
        view.to = valueEnd;
        return view;
    }

    @Override
    public void writeString(RowBinaryBuffer out) {
        int n = valueEnd - valueStart;
        out.writeVarUInt(n);
        out.writeBytes(b, valueStart, n);
    }

    /**
     * Scans a number, reading its value in the same pass: an integer into {@link #longValue}, a float's digits and
     * power of ten for {@link #doubleValue}.
     */
    private boolean number() {
        int start = pos;
        negative = b[pos] == '-';
        if (negative) {
            pos++;
        }
        int intStart = pos;
        long m = 0;
        // Digits from the first non-zero one. m is the digits' value while there are at most 18 (it may wrap
        // around beyond, and is then not used), below 2^53 (so exact as a double) while there are at most 15.
        int significant = 0;
        if (pos < b.length && b[pos] == '0') {
            pos++;
        } else {
            int d;
            while (pos < b.length && (d = b[pos] - '0') >= 0 && d <= 9) {
                m = m * 10 + d;
                pos++;
            }
            significant = pos - intStart;
        }
        int intDigits = pos - intStart;
        if (intDigits == 0) {
            return false;
        }
        boolean isFloat = false;
        int exp = 0;
        if (pos < b.length && b[pos] == '.') {
            int from = ++pos;
            int d;
            while (pos < b.length && (d = b[pos] - '0') >= 0 && d <= 9) {
                if (significant > 0 || d != 0) {
                    significant++;
                }
                m = m * 10 + d;
                pos++;
            }
            if (pos == from) {
                return false;
            }
            exp = from - pos;
            isFloat = true;
        }
        if (pos < b.length && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            boolean negativeExponent = pos < b.length && b[pos] == '-';
            if (pos < b.length && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            int from = pos;
            int e = 0;
            int d;
            while (pos < b.length && (d = b[pos] - '0') >= 0 && d <= 9) {
                if (e <= 1000) { // more is out of the fast range anyway; this keeps e from wrapping around
                    e = e * 10 + d;
                }
                pos++;
            }
            if (pos == from) {
                return false;
            }
            exp += negativeExponent ? -e : e;
            isFloat = true;
        }
        if (pos - start > 100 || pos < b.length && (b[pos] == '.' || (b[pos] >= '0' && b[pos] <= '9'))) {
            return false; // very long, or a leading zero followed by digits ("01"): Jackson decides
        }
        mantissa = m;
        scale = exp;
        fastDouble = significant <= 15 && exp >= -22 && exp <= 22;
        if (isFloat) {
            token = FLOAT;
            return true;
        }
        if (intDigits > 18) {
            return false;
        }
        longValue = negative ? -m : m;
        token = INT;
        return true;
    }

    private boolean literal(String word) {
        int n = word.length();
        if (pos + n > b.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        int after = pos + n;
        if (after < b.length && ((b[after] >= 'a' && b[after] <= 'z') || (b[after] >= '0' && b[after] <= '9'))) {
            return false; // "trueish": Jackson decides
        }
        pos = after;
        return true;
    }

    /** Skips to after the closing quote of a string of printable ASCII without escapes; false otherwise. */
    private boolean skipPlainString() {
        // Eight bytes at a time while none of them needs a look ("Determine if a word has a byte less than n" and
        // "... has a zero byte", Sean Anderson's Bit Twiddling Hacks); the loop below then finds which one does.
        while (pos + 8 <= b.length) {
            long x = (long) LONGS.get(b, pos);
            long quote = x ^ 0x2222_2222_2222_2222L;
            long backslash = x ^ 0x5C5C_5C5C_5C5C_5C5CL;
            long flagged = ((x - 0x2020_2020_2020_2020L) & ~x) // a byte below 0x20
                    | ((quote - 0x0101_0101_0101_0101L) & ~quote)
                    | ((backslash - 0x0101_0101_0101_0101L) & ~backslash)
                    | x; // a byte of 0x80 or more
            if ((flagged & 0x8080_8080_8080_8080L) != 0) {
                break;
            }
            pos += 8;
        }
        while (pos < b.length) {
            byte c = b[pos++];
            if (c == '"') {
                return true;
            }
            if (c == '\\' || c < 0x20) {
                return false; // escapes and control characters (and, as bytes are signed, all of 0x80..0xFF)
            }
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < b.length) {
            byte c = b[pos];
            if (c > ' ' || c != ' ' && c != '\n' && c != '\r' && c != '\t') { // most often the first test decides
                return;
            }
            pos++;
        }
    }

    /** The bytes {@code [from, to)} of the record as characters, without copying them. */
    private final class AsciiView implements CharSequence {
        private int from;
        private int to;

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= to - from) {
                throw new IndexOutOfBoundsException(index);
            }
            return (char) b[from + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return new String(b, from, to - from, ISO_8859_1);
        }
    }
}
