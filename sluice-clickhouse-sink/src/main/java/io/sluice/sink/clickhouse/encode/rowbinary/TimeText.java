package io.sluice.sink.clickhouse.encode.rowbinary;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses date-time text into UTC instants. Accepted forms, tried in order: ISO-8601 with an offset or {@code Z}
 * and optional fractions ({@code 2026-11-21T07:00:00.123+02:00}); ISO-8601 local date-time
 * ({@code 2026-11-21T07:00:00}); ClickHouse's text form ({@code 2026-11-21 07:00:00[.fff]}); a date
 * ({@code 2026-11-21}, at midnight). Forms without an offset are read in the given zone.
 *
 * <p>The common fixed-width forms ({@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}]} followed by {@code Z}, {@code +HH:MM},
 * or nothing with a fixed-offset zone) are read by hand, about ten times faster than {@code java.time}'s
 * formatters; anything else, and anything the fast path finds odd, goes through the formatters, so both paths
 * accept and reject the same text.
 */
public final class TimeText {

    private TimeText() {
    }

    /**
     * @param text the text
     * @param zone zone for forms without an offset
     * @return the instant, or {@code null} if no form matches
     */
    public static Instant parse(String text, ZoneId zone) {
        Instant fast = parseFixedWidth(text, zone);
        return fast != null ? fast : parseWithFormatters(text, zone);
    }

    /** The general path of {@link #parse}, with {@code java.time}'s ISO formatters. */
    static Instant parseWithFormatters(String text, ZoneId zone) {
        String s = text.trim();
        if (s.length() < 10) {
            return null;
        }
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(zone).toInstant();
            }
            char last = s.charAt(s.length() - 1);
            int tzSign = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
            if (last == 'Z' || last == 'z' || tzSign > 10) {
                return OffsetDateTime.parse(s.replace('z', 'Z'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            return LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Reads {@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}](Z|z|+HH:MM|-HH:MM|)} with every field in range, or returns
     * {@code null} to leave the text to the formatters. Without an offset, only fixed-offset zones (UTC is the
     * common one) are handled here.
     */
    static Instant parseFixedWidth(String s, ZoneId zone) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > monthLength(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                return null;
            }
            for (int k = len; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n) {
            if (!(zone instanceof ZoneOffset)) {
                return null;
            }
            offsetSeconds = ((ZoneOffset) zone).getTotalSeconds();
        } else if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 17 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3600 + minute * 60 + second - offsetSeconds, nanos);
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int monthLength(int year, int month) {
        return java.time.YearMonth.of(year, month).lengthOfMonth();
    }
}
