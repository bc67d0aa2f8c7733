package io.sluice.core;

import java.time.Instant;
import java.time.Month;
import java.time.Year;

/**
 * Fast paths for the one timestamp shape producers write, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} (what
 * {@link java.time.format.DateTimeFormatter#ISO_INSTANT} prints for years 0000..9999), without the formatter's
 * per-call field maps.
 *
 * <p>{@link #parse} accepts exactly the strings of that shape that
 * {@link java.time.format.DateTimeFormatter#ISO_OFFSET_DATE_TIME} (strict resolver) accepts, and returns the same
 * instant; anything else (other offsets, lower-case {@code t}/{@code z}, a missing seconds field, out-of-range
 * fields) gets null, and the caller falls back to the formatter, which then decides and words any error.
 * {@link #format} prints what {@code ISO_INSTANT} prints, for years 0000..9999.
 */
final class UtcTimestamps {

    private static final int SHORTEST = "0000-00-00T00:00:00Z".length();
    private static final int LONGEST = "0000-00-00T00:00:00.000000000Z".length();
    private static final long SECONDS_PER_DAY = 86_400L;

    private UtcTimestamps() {
    }

    /**
     * Parses {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}.
     *
     * @param c   characters
     * @param off first character
     * @param len number of characters
     * @return the instant, or null when the text is not of that shape or a field is out of range
     */
    static Instant parse(char[] c, int off, int len) {
        if (len < SHORTEST || len > LONGEST || len == SHORTEST + 1 || c[off + len - 1] != 'Z'
                || c[off + 4] != '-' || c[off + 7] != '-' || c[off + 10] != 'T' || c[off + 13] != ':'
                || c[off + 16] != ':') {
            return null;
        }
        int year = digits(c, off, 4);
        int month = digits(c, off + 5, 2);
        int day = digits(c, off + 8, 2);
        int hour = digits(c, off + 11, 2);
        int minute = digits(c, off + 14, 2);
        int second = digits(c, off + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        int nanos = 0;
        if (len > SHORTEST) {
            if (c[off + 19] != '.') {
                return null;
            }
            int fractionDigits = len - SHORTEST - 1;
            nanos = digits(c, off + 20, fractionDigits);
            if (nanos < 0) {
                return null;
            }
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochSecond = epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /**
     * Formats an instant as {@link java.time.format.DateTimeFormatter#ISO_INSTANT} does: the fraction in groups of
     * three digits, as many as the nanoseconds need (none when zero). The text is ASCII, written as one byte per
     * character. The text up to the seconds is kept for the last second formatted and copied while instants stay
     * in it, as a stream of readings does (thousands per second); thread-safe.
     *
     * @param t   the instant
     * @param out destination, with at least 30 bytes from {@code off}
     * @param off first byte to write
     * @return the number of bytes written, or -1 when the year is outside 0000..9999 (use the formatter)
     */
    static int format(Instant t, byte[] out, int off) {
        long seconds = t.getEpochSecond();
        SecondText second = lastSecond;
        if (second.epochSecond != seconds) {
            byte[] text = formatSecond(seconds);
            if (text == null) {
                return -1;
            }
            second = new SecondText(seconds, text);
            lastSecond = second;
        }
        System.arraycopy(second.text, 0, out, off, SECOND_LENGTH);
        int n = off + SECOND_LENGTH;
        int nanos = t.getNano();
        if (nanos > 0) {
            out[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                put(out, n, nanos / 1_000_000, 3);
                n += 3;
            } else if (nanos % 1_000 == 0) {
                put(out, n, nanos / 1_000, 6);
                n += 6;
            } else {
                put(out, n, nanos, 9);
                n += 9;
            }
        }
        out[n++] = 'Z';
        return n - off;
    }

    /**
     * Returns the length of what {@link #format} writes for an instant.
     *
     * @param t the instant
     * @return the number of bytes, 20 to 30, or -1 when the year is outside 0000..9999 (use the formatter)
     */
    static int length(Instant t) {
        long day = Math.floorDiv(t.getEpochSecond(), SECONDS_PER_DAY);
        if (day < MIN_DAY || day > MAX_DAY) {
            return -1;
        }
        int nanos = t.getNano();
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 4 : nanos % 1_000 == 0 ? 7 : 10;
        return SECOND_LENGTH + fraction + 1;
    }

    /** Length of {@code yyyy-MM-ddTHH:mm:ss}. */
    private static final int SECOND_LENGTH = 19;

    /**
     * The text of one epoch second, {@code yyyy-MM-ddTHH:mm:ss}. Immutable once constructed (final fields, the array
     * never written after), so threads may share it through a plain field: a racing reader sees either an older
     * complete instance or this one.
     */
    private static final class SecondText {
        final long epochSecond;
        final byte[] text;

        SecondText(long epochSecond, byte[] text) {
            this.epochSecond = epochSecond;
            this.text = text;
        }
    }

    /** The last second {@link #format} wrote; a start value no instant has (Instant.MIN is second -31557014167219200). */
    private static SecondText lastSecond = new SecondText(Long.MIN_VALUE, new byte[SECOND_LENGTH]);

    /** Returns {@code yyyy-MM-ddTHH:mm:ss} of an epoch second, or null when the year is outside 0000..9999. */
    private static byte[] formatSecond(long seconds) {
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        if (day < MIN_DAY || day > MAX_DAY) {
            return null;
        }
        byte[] out = new byte[SECOND_LENGTH];
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(day);
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        put(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, secondOfDay % 60, 2);
        return out;
    }

    /** Epoch days of 0000-01-01 and 9999-12-31. */
    private static final long MIN_DAY = -719_528L;
    private static final long MAX_DAY = 2_932_896L;

    /** Writes {@code v} as {@code width} ASCII decimal digits, zero-padded. */
    private static void put(byte[] out, int off, int v, int width) {
        for (int i = off + width - 1; i >= off; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    /** Returns the decimal value of {@code n} ASCII digits, or -1 if one is not a digit. */
    private static int digits(char[] c, int off, int n) {
        int v = 0;
        for (int i = off; i < off + n; i++) {
            int d = c[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Days from 1970-01-01 in the proleptic Gregorian calendar (the computation of {@code LocalDate.toEpochDay}). */
    private static long epochDay(long y, int m, int d) {
        long total = 365 * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        }
        total += (367L * m - 362) / 12;
        total += d - 1;
        if (m > 2) {
            total--;
            if (!Year.isLeap(y)) {
                total--;
            }
        }
        return total - 719_528L;
    }
}
